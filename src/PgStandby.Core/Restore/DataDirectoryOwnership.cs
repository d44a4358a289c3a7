using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Processes;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Restore;

/// <summary>
/// A PGDATA copied by root (or another user) cannot be read by postgres: pg_controldata fails and the
/// folder would look incomplete. Said for what it is, with the fix, before anything is classified.
/// </summary>
public sealed class DataDirectoryOwnership(ICommandRunner runner, IOptions<StandbyOptions> standby)
{
    /// <exception cref="StandbyException">Something in PGDATA is not owned by the account postgres runs as.</exception>
    public async Task EnsureReadableAsync(CancellationToken cancellationToken)
    {
        var data = standby.Value.DataDirectory;
        if (DataDirectoryInspection.Inspect(data).IsEmpty)
        {
            return; // an empty folder is handed to postgres before a restore
        }

        var owner = OsAccount.WorkerIsRoot ? OsAccount.PostgresName : Environment.UserName;
        var found = await runner.RunAsync(
            new CommandSpec("find", [data, "!", "-user", owner, "-print", "-quit"]) { AsPostgres = false },
            cancellationToken).ConfigureAwait(false);
        var stranger = found.StandardOutput.Trim();
        if (stranger.Length == 0)
        {
            return;
        }

        var actual = await runner.RunAsync(new CommandSpec("stat", ["-c", "%U:%G", stranger]) { AsPostgres = false }, cancellationToken).ConfigureAwait(false);
        throw StandbyException.Refused(
            $"{data} is not owned by {owner}: {stranger} is owned by {actual.StandardOutput.Trim()}, so postgres cannot read it (a volume copied as root?)",
            $"as root: chown -R {owner}:{owner} {data}, then start pgstandby again (nothing was changed)");
    }
}
