"""Who may do what: users, roles, grants, teams, tokens and the other ways to prove it."""
