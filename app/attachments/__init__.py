"""Attachments: drawings, letters and photos of a child's work, kept with the child's case."""
