"""The domain: which servers a change goes to, how it is built, how results combine."""
