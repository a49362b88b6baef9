"""Signed webhooks: admins register endpoints per event kind; DNSMate POSTs each event as
JSON with an HMAC-SHA256 signature and a timestamp, from a durable outbox.

Modules: ``events`` (the kinds and the payload of a write), ``outbox`` (deliveries added
in the transaction of what they report; the subscribed endpoints held in memory),
``signing`` (the signature headers), ``dispatcher`` (the background task that sends due
deliveries with back-off, in the leading process), ``endpoints`` (register, list, change,
delete, send a test, the delivery log).
"""
