using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Postgres;

/// <summary>PostgreSQL's own programs from PG_BIN_DIR, run as postgres.</summary>
public sealed class PostgresTools(ICommandRunner runner, IOptions<StandbyOptions> options)
{
    private static readonly Dictionary<string, string> CLocale = new() { ["LC_ALL"] = "C" };

    public string Binary(string name) => Path.Combine(options.Value.BinDirectory, name);

    /// <summary>pg_controldata of PGDATA; null when it has no readable pg_control.</summary>
    public async Task<ControlData?> ReadControlDataAsync(CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(
            new CommandSpec(Binary("pg_controldata"), ["-D", options.Value.DataDirectory]) { Environment = CLocale },
            cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? ControlData.Parse(result.StandardOutput) : null;
    }
}
