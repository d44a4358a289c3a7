using System.Text.RegularExpressions;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Faults;

/// <summary>PGDATA volumes that are not what they seem: another cluster's data, a restored standby whose files root now owns.</summary>
[Collection(WorldDefinition.Name)]
public sealed partial class DataDirectoryFaultTests(PrimaryWorld world)
{
    private const string PgBin = "/usr/lib/postgresql/15/bin/";

    [WorldFact]
    public async Task DataDirectoryOfAnotherClusterDressedAsStandby_RefusedWith78NamingBothSystems_NothingRemoved()
    {
        await using var standby = world.NewStandby("other-cluster");
        await standby.PreAuthorizeAsync();
        await Shell.RunAsync("install", ["-d", "-m", "700", "-o", "postgres", "-g", "postgres", standby.DataDirectory]);
        await Shell.AsPostgresAsync(PgBin + "initdb", ["-D", standby.DataDirectory, "--no-sync"]);
        await Shell.AsPostgresAsync("touch", [Path.Combine(standby.DataDirectory, "standby.signal")]);
        var foreignSystem = SystemIdentifier().Match(await Shell.RunAsync(PgBin + "pg_controldata", ["-D", standby.DataDirectory])).Groups[1].Value;
        var primarySystem = await world.SqlAsync("SELECT system_identifier FROM pg_control_system()");
        Assert.NotEqual(primarySystem, foreignSystem);
        var files = DirectorySnapshot.Take(standby.DataDirectory);

        standby.Start();

        Assert.Equal(78, await standby.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal("refused", standby.State);
        var reason = standby.ReadStatus()!.Value.GetProperty("reason").GetString()!;
        Assert.Contains(foreignSystem, reason, StringComparison.Ordinal);
        Assert.Contains(primarySystem, reason, StringComparison.Ordinal);
        Assert.Equal(files, DirectorySnapshot.Take(standby.DataDirectory));
        Assert.Equal(0, standby.CountLog("restore of backup"));
    }

    /// <summary>
    /// README, Failure behaviour: a restored standby's volume copied by root keeps root as owner, and postgres cannot
    /// read it: the worker refuses (78) naming the folder and the fix, and changes nothing, not even the owners.
    /// </summary>
    [WorldFact]
    public async Task RestoredStandbyChownedToRoot_RefusedWith78NamingFolderAndFix_NothingChanged()
    {
        await using var standby = world.NewStandby("copied-by-root");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));
        var before = await world.WriteProbeRowsAsync("before-copied-by-root");
        await standby.WaitForProbeAsync(before, TimeSpan.FromMinutes(1));
        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));

        await Shell.RunAsync("chown", ["-R", "root:root", standby.DataDirectory]);
        var files = DirectorySnapshot.Take(standby.DataDirectory);
        standby.Start();

        await Eventually.ThatAsync(
            () => Task.FromResult(standby.HasExited),
            TimeSpan.FromMinutes(2),
            () => $"still running (state {standby.State}), not refused:\n{standby.Output}");
        Assert.Equal(78, await standby.WaitForExitAsync(TimeSpan.FromSeconds(5)));
        var status = standby.ReadStatus()!.Value;
        var message = $"reason: {status.GetProperty("reason").GetString()}, next step: {status.GetProperty("next_step").GetString()}";
        Assert.True(status.GetProperty("state").GetString() == "refused", message);
        var words = message.Replace(standby.DataDirectory, "PGDATA", StringComparison.Ordinal);
        Assert.True(message.Contains(standby.DataDirectory, StringComparison.Ordinal) && OwnerWord().IsMatch(words), "the refusal does not say PGDATA's owner is wrong: " + message);
        Assert.True(words.Contains("chown -R postgres:postgres PGDATA", StringComparison.Ordinal), "the refusal does not give the fix (chown -R postgres:postgres PGDATA): " + message);
        Assert.Equal(files, DirectorySnapshot.Take(standby.DataDirectory));
        Assert.Equal(string.Empty, await Shell.RunAsync("find", [standby.DataDirectory, "!", "-user", "root"]));
        Assert.Equal(0, standby.CountLog("restore of backup"));
    }

    [GeneratedRegex(@"\bown(er|ed|ership)\b", RegexOptions.IgnoreCase)]
    private static partial Regex OwnerWord();

    [GeneratedRegex(@"Database system identifier:\s+(\d+)")]
    private static partial Regex SystemIdentifier();
}
