using Microsoft.Extensions.Configuration;
using PgStandby.Core.Configuration;
using PgStandby.Core.Health;

namespace PgStandby.Worker.Cli;

/// <summary><c>pgstandby status [--json]</c>: a short human summary, or the status file as is for scripts.</summary>
internal static class StatusCommand
{
    public static int Run(IConfiguration configuration, bool json)
    {
        var runDirectory = CliOptions.Standby(configuration).RunDirectory;
        var snapshot = StatusFile.Read(runDirectory);
        if (snapshot is null)
        {
            Console.Error.WriteLine($"pgstandby: no status in {StatusFile.PathIn(runDirectory)}: the worker is not running or PGSTANDBY_RUN_DIR differs.");
            return 1;
        }

        if (json)
        {
            Console.WriteLine(StatusFile.ReadRaw(runDirectory));
            return 0;
        }

        var alive = HealthReport.IsWorkerAlive(snapshot.Pid);
        Console.WriteLine($"state:        {snapshot.State}{(alive ? string.Empty : " (worker not running)")}");
        Console.WriteLine($"since:        {snapshot.Since:u}");
        Console.WriteLine($"reason:       {snapshot.Reason}");
        Console.WriteLine($"next step:    {snapshot.NextStep}");
        Console.WriteLine($"healthy:      {(snapshot.Healthy ? "yes" : "no")}, ready: {(snapshot.Ready ? "yes" : "no")}");
        if (snapshot.Promotion is { } promotion)
        {
            Console.WriteLine($"role:         primary: {promotion.Describe()}");
            Console.WriteLine($"backups:      none yet: this new primary has no WAL archive or backups (README: Failover, set up backups)");
            Console.WriteLine($"old primary:  {promotion.PromotedFrom}: {(snapshot.OldPrimaryWritable switch { true => "ANSWERS AS A PRIMARY AGAIN: clients writing there diverge from this node", false => "not answering as a primary", null => "not asked yet" })}");
        }

        if (snapshot.Transport == "tls")
        {
            Console.WriteLine($"primary:      {snapshot.PrimaryHost} (pgBackRest's TLS server, no SSH)");
            Console.WriteLine($"server CA:    {snapshot.PrimaryHostKey ?? "- (not connected yet)"}");
            Console.WriteLine($"certificate:  {(snapshot.TlsCertificate is { } c ? $"{c.Subject}, valid until {c.NotAfter:u}, {c.Fingerprint}{(c.ExpiresSoon ? " — EXPIRES SOON: sign a new request on the primary (setup-primary.sh --sign-csr) and place the bundle" : string.Empty)}" : "- (none accepted yet)")}");
        }
        else
        {
            Console.WriteLine($"primary:      {snapshot.PrimaryHost} (pgBackRest logs in as {snapshot.PrimarySshUser}@{snapshot.PrimaryHost})");
            Console.WriteLine($"host key:     {snapshot.PrimaryHostKey ?? "- (not connected yet)"}");
        }

        var against = snapshot.LagAgainst == "archive" ? " (against the archive's newest WAL: the primary cannot be asked)" : string.Empty;
        Console.WriteLine($"lag:          {Show(snapshot.LagBytes)} bytes, {Show(snapshot.LagSeconds)} s{against}");
        Console.WriteLine($"WAL received: {snapshot.ReceivedLsn ?? "-"}  replayed: {snapshot.ReplayedLsn ?? "-"}  last replayed commit: {Show(snapshot.LastReplayAgeSeconds)} s ago");
        if (snapshot.RestorePercent is { } percent)
        {
            var bytes = snapshot.RestoreBytesDone is { } done ? $" ({done} of {Show(snapshot.RestoreBytesTotal)} bytes)" : string.Empty;
            var started = snapshot.RestoreStartedAt is { } at ? $", started {at:u}" : string.Empty;
            Console.WriteLine($"restore:      {percent:0.0} %{bytes}{started}");
        }
        else if (snapshot.LastRestoreSeconds is { } seconds)
        {
            Console.WriteLine($"last restore: took {seconds:0} s");
        }

        Console.WriteLine($"versions:     pgBackRest {snapshot.PgBackRestVersion ?? "-"}, PostgreSQL {snapshot.PostgresVersion ?? "-"}");
        Console.WriteLine($"restarts:     postgres restarted {snapshot.PostgresRestarts} time(s) after an unexpected exit");

        if (snapshot.PublicKey is not null)
        {
            Console.WriteLine($"public key:   {snapshot.PublicKey}");
        }

        return 0;
    }

    private static string Show<T>(T? value)
        where T : struct => value?.ToString() ?? "-";
}
