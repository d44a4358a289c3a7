namespace PgStandby.Core.Tests.Restore;

/// <summary>
/// Documents as pgBackRest 2.45 prints them for <c>pgbackrest --stanza=psql --output=json info</c>, written by
/// hand after its format: an array of stanzas, each with status, db history and backups (oldest first).
/// </summary>
internal static class PgBackRestInfoSamples
{
    public const ulong SystemId = 7712776465398710540;

    public const string Ok = """
        [
          {
            "archive": [
              {"database": {"id": 1, "repo-key": 1}, "id": "15-1", "max": "000000010000000000000006", "min": "000000010000000000000001"}
            ],
            "backup": [
              {
                "archive": {"start": "000000010000000000000002", "stop": "000000010000000000000002"},
                "backrest": {"format": 5, "version": "2.45"},
                "database": {"id": 1, "repo-key": 1},
                "error": false,
                "info": {
                  "delta": 23148567,
                  "repository": {"delta": 3121534, "size": 3121534},
                  "size": 23148567
                },
                "label": "20260301-120000F",
                "lsn": {"start": "0/2000028", "stop": "0/2000138"},
                "prior": null,
                "reference": null,
                "timestamp": {"start": 1772366400, "stop": 1772366405},
                "type": "full"
              },
              {
                "archive": {"start": "000000010000000000000005", "stop": "000000010000000000000005"},
                "backrest": {"format": 5, "version": "2.45"},
                "database": {"id": 1, "repo-key": 1},
                "error": false,
                "info": {
                  "delta": 8437,
                  "repository": {"delta": 1025, "size": 3122559},
                  "size": 23157004
                },
                "label": "20260301-120000F_20260302-120000I",
                "lsn": {"start": "0/5000028", "stop": "0/5000100"},
                "prior": "20260301-120000F",
                "reference": ["20260301-120000F"],
                "timestamp": {"start": 1772452800, "stop": 1772452803},
                "type": "incr"
              }
            ],
            "cipher": "none",
            "db": [
              {"id": 1, "repo-key": 1, "system-id": 7712776465398710540, "version": "15"}
            ],
            "name": "psql",
            "repo": [
              {"cipher": "none", "key": 1, "status": {"code": 0, "message": "ok"}}
            ],
            "status": {"code": 0, "lock": {"backup": {"held": false}}, "message": "ok"}
          }
        ]
        """;

    public const string MissingStanzaPath = """
        [
          {
            "archive": [],
            "backup": [],
            "cipher": "none",
            "db": [],
            "name": "psql",
            "repo": [
              {"cipher": "none", "key": 1, "status": {"code": 1, "message": "missing stanza path"}}
            ],
            "status": {"code": 1, "lock": {"backup": {"held": false}}, "message": "missing stanza path"}
          }
        ]
        """;

    public const string NoValidBackups = """
        [
          {
            "archive": [],
            "backup": [],
            "cipher": "none",
            "db": [
              {"id": 1, "repo-key": 1, "system-id": 7712776465398710540, "version": "15"}
            ],
            "name": "psql",
            "repo": [
              {"cipher": "none", "key": 1, "status": {"code": 2, "message": "no valid backups"}}
            ],
            "status": {"code": 2, "lock": {"backup": {"held": false}}, "message": "no valid backups"}
          }
        ]
        """;

    public const string MissingStanzaData = """
        [
          {
            "backup": [],
            "db": [],
            "name": "psql",
            "repo": [
              {"cipher": "none", "key": 1, "status": {"code": 3, "message": "missing stanza data"}}
            ],
            "status": {"code": 3, "lock": {"backup": {"held": false}}, "message": "missing stanza data"}
          }
        ]
        """;

    /// <summary>After pg_upgrade from 14 to 15 and a stanza-upgrade: the db history has two entries.</summary>
    public const string Upgraded = """
        [
          {
            "archive": [],
            "backup": [
              {
                "backrest": {"format": 5, "version": "2.45"},
                "database": {"id": 1, "repo-key": 1},
                "error": false,
                "info": {"delta": 100, "repository": {"delta": 10, "size": 10}, "size": 100},
                "label": "20250101-000000F",
                "type": "full"
              },
              {
                "backrest": {"format": 5, "version": "2.45"},
                "database": {"id": 2, "repo-key": 1},
                "error": false,
                "info": {"delta": 200, "repository": {"delta": 20, "size": 20}, "size": 200},
                "label": "20260101-000000F",
                "type": "full"
              }
            ],
            "cipher": "none",
            "db": [
              {"id": 2, "repo-key": 1, "system-id": 7712776465398710540, "version": "15"},
              {"id": 1, "repo-key": 1, "system-id": 7000000000000000001, "version": "14"}
            ],
            "name": "psql",
            "status": {"code": 0, "lock": {"backup": {"held": false}}, "message": "ok"}
          }
        ]
        """;

    /// <summary>Without --stanza, every stanza of the repository is listed.</summary>
    public const string TwoStanzas = """
        [
          {
            "backup": [],
            "db": [{"id": 1, "repo-key": 1, "system-id": 7000000000000000001, "version": "14"}],
            "name": "legacy",
            "status": {"code": 2, "lock": {"backup": {"held": false}}, "message": "no valid backups"}
          },
          {
            "backup": [
              {"database": {"id": 1, "repo-key": 1}, "error": false, "info": {"delta": 5, "size": 5}, "label": "20260301-120000F", "type": "full"}
            ],
            "db": [{"id": 1, "repo-key": 1, "system-id": 7712776465398710540, "version": "15"}],
            "name": "psql",
            "status": {"code": 0, "lock": {"backup": {"held": false}}, "message": "ok"}
          }
        ]
        """;
}
