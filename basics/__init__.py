"""Small building blocks every app uses: money in đồng, accent folding, the visitor's address, the
per-address limits of the public forms, spreadsheet cells and the content version.

This package imports no app of the project (tests/test_layers.py holds it to that), so any app may
import it without pulling in another.
"""
