"""Deployment: the nginx edge in front of gunicorn (deploy/edge.py)."""
