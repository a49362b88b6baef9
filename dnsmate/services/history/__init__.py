"""What happened: zone versions and their retention, the audit log, the change log line, backups."""
