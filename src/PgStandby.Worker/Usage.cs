namespace PgStandby.Worker;

internal static class Usage
{
    public const string Text = """
        Usage: pgstandby [command]

        Commands:
          run              run the worker (the default): key, configuration, restore, postgres, monitoring
          show-key         print the standby's SSH public key, to authorize on the primary
          health [--ready] one line of health; exit 0 healthy, 1 not (Docker HEALTHCHECK);
                           --ready: 0 only when streaming within the lag limits (readiness probe)
          status [--json]  the worker's state, lag and next step; --json prints the status file
          promote [--force] [--max-wait S] [--wait S]
                           make this standby the primary, beside the running worker: refused while the
                           old primary answers (--force overrides), replays the archive first (at most
                           --max-wait, 120 s), then pg_promote (--wait, 60 s); exit 0 promoted, 1 not
          reinit [--yes]   re-sync PGDATA from the newest backup, overwriting it (says what first; --yes does it;
                           on a promoted node, says which writes since the promotion it would discard)

        Configuration comes from environment variables; see README.md.
        """;
}
