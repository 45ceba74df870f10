"""Pulumi infrastructure for Momentum on AWS: :class:`infra.aws.component.MomentumAws`,
the bundle builder (:mod:`infra.aws.bundle`) and the stack program
(:mod:`infra.aws.program`, run by ``__main__.py`` beside ``Pulumi.yaml``)."""
