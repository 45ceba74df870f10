"""GCP adapter (Cloud Run + Firestore + Cloud Storage + Cloud Scheduler).

Not built yet: the layout reserves its place; see the README's feature status.
"""
