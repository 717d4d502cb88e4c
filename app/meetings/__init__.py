"""Meetings: reviews and conferences scheduled by business support, with invitations and minutes."""
