"""DynDNS2 (``/nic/update``): ``update`` speaks the protocol, ``change`` is what it writes."""
