using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Health;

/// <summary>
/// Reads pgBackRest's and PostgreSQL's versions from their own binaries once, for <c>pgstandby status</c>:
/// the first thing asked when a standby misbehaves, and pgBackRest must match the primary's exactly.
/// </summary>
public sealed partial class SoftwareVersions(ICommandRunner runner, HealthState health, IOptions<StandbyOptions> standby)
{
    public async Task RecordAsync(CancellationToken cancellationToken)
    {
        var pgBackRest = await VersionOfAsync(new CommandSpec("pgbackrest", ["version"]), cancellationToken).ConfigureAwait(false);
        var postgres = await VersionOfAsync(new CommandSpec(Path.Combine(standby.Value.BinDirectory, "postgres"), ["--version"]), cancellationToken).ConfigureAwait(false);
        health.SetVersions(pgBackRest, postgres);
    }

    /// <summary>The first dotted number of the first line: "pgBackRest 2.45", "postgres (PostgreSQL) 15.18 (Debian …)"; null when there is none.</summary>
    public static string? ParseVersion(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return line is not null && VersionRegex().Match(line) is { Success: true } match ? match.Value : null;
    }

    [GeneratedRegex(@"(?<![\w.])[0-9]+(?:\.[0-9]+)+")]
    private static partial Regex VersionRegex();

    private async Task<string?> VersionOfAsync(CommandSpec command, CancellationToken cancellationToken)
    {
        try
        {
            var result = await runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
            return result.Succeeded ? ParseVersion(result.StandardOutput) : null;
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null; // not installed: the stages that need it say so with the fix
        }
    }
}
