"""Pulumi infrastructure for Momentum on AWS: :class:`momentum.infra.aws.component.MomentumAws`,
the bundle builder (:mod:`momentum.infra.aws.bundle`) and the stack program
(:mod:`momentum.infra.aws.program`, run by ``__main__.py`` beside ``Pulumi.yaml``)."""
