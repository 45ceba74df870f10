"""The Cloudflare stack (``momentum:cloud cloudflare``)."""
