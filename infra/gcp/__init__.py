"""The GCP stack: :class:`~momentum.infra.gcp.component.MomentumGcp` (pulumi-gcp)."""
