"""Stored files (attachments, report PDFs): kept by content hash behind one small interface."""
