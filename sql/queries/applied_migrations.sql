SELECT version FROM schema_migration ORDER BY version
