"""Participation bodies (issue 11): the registry of councils, working groups and observatories, their members,
sessions, minutes and agreements with their follow-up."""
