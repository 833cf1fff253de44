#include <sqlite3.h>

/// SQLITE_TRANSIENT and SQLITE_STATIC are macros casting integers to function pointers,
/// which Swift cannot import; these give Swift typed constants.
static inline sqlite3_destructor_type catalog_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type catalog_sqlite_static(void) { return SQLITE_STATIC; }

/// sqlite3_db_config is variadic, which Swift cannot call: whether closing the last connection
/// checkpoints the WAL into the database (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE). Returns an SQLite code.
static inline int catalog_sqlite_set_checkpoint_on_close(sqlite3 *db, int enabled) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, enabled ? 0 : 1, (int *)0);
}
