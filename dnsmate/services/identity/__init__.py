"""Sign-in through an identity provider (LDAP / Active Directory, OpenID Connect): who the
provider says the person is, which DNSMate role and zones their groups map to, and the
DNSMate account kept in step with that at every sign-in."""
