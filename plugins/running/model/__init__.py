"""The running domain's records: the training plan (:mod:`.plan`)."""
