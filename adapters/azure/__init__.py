"""Azure adapter: Functions (v2 Python model) + Table Storage + Queue Storage + Blob Storage.

- :mod:`.table_storage`: the Storage port on Table Storage (conditional writes by ETag);
- :mod:`.blob_store`: the Blob port on Blob Storage;
- :mod:`.queue_deferral`: the Deferral port on Queue Storage (visibility timeouts for delays);
- :mod:`.function_app`: the Functions entry point, converting triggers into core events;
- :mod:`.bootstrap`: builds the coach for one worker from its app settings.

Azure SDKs are imported lazily, inside the functions that need them.
"""
