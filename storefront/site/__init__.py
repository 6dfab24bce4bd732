"""Site-wide plumbing: health check, language switch, errors, headers, assets, filters."""
