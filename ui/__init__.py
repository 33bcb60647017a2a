"""Streamlit-side helpers shared by app.py and pages/: the frame, caching and the signed-in user.

This package may import streamlit; metrics/ may not. Pages stay thin: read the
URL and filters, call metrics.dashboard, render with these helpers.
"""
