"""The Azure stack: :class:`~momentum.infra.azure.component.MomentumAzure`."""
