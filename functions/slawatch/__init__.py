"""slawatch domain package: the report contract, normalisation, keys and the breach store.

Every Lambda function is deployed with this package; handlers stay thin and call into it.
"""

__version__ = "0.1.0"
