using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// deploy/primary/setup-primary.sh --backup-schedule: the systemd timers and the cron file it writes are
/// valid, and the backup command they hold really backs the world's stanza up, as postgres.
/// </summary>
[Collection(WorldDefinition.Name)]
public sealed partial class BackupScheduleTests(PrimaryWorld world)
{
    private const string Service = "Service";
    private const string Timer = "Timer";

    private string Name => "pgbackrest-" + world.Stanza;

    private string ScheduleFolder => Path.Combine(world.Root, "primary", "schedule");

    [WorldFact]
    public async Task SystemdTimers_VerifyCleanly_AndTheirServiceTakesAFullBackup()
    {
        var service = Path.Combine(ScheduleFolder, Name + "-backup@.service");
        var full = SystemdUnitFile.Load(Path.Combine(ScheduleFolder, Name + "-full.timer"));
        var diff = SystemdUnitFile.Load(Path.Combine(ScheduleFolder, Name + "-diff.timer"));
        Assert.Equal("Sun *-*-* 01:30:00", full.Single(Timer, "OnCalendar"));
        Assert.Equal(Name + "-backup@full.service", full.Single(Timer, "Unit"));
        Assert.Equal("Mon..Sat *-*-* 01:30:00", diff.Single(Timer, "OnCalendar"));
        Assert.Equal(Name + "-backup@diff.service", diff.Single(Timer, "Unit"));
        var unit = SystemdUnitFile.Load(service);
        Assert.Equal("postgres", unit.Single(Service, "User"));
        Assert.Equal("oneshot", unit.Single(Service, "Type"));

        // verify resolves Unit= against the folder the timers are in.
        var instance = Path.Combine(ScheduleFolder, Name + "-backup@full.service");
        File.Copy(service, instance, overwrite: true);
        var report = await VerifyAsync([Path.Combine(ScheduleFolder, Name + "-full.timer"), Path.Combine(ScheduleFolder, Name + "-diff.timer"), instance]);
        Assert.True(report.Length == 0, "systemd-analyze verify:\n" + report);

        var before = await NewestBackupAsync();
        var command = unit.Single(Service, "ExecStart")!.Replace("%i", "full", StringComparison.Ordinal);
        await Shell.AsPostgresAsync("sh", ["-c", command], TimeSpan.FromMinutes(5));
        var after = await NewestBackupAsync();
        Assert.NotEqual(before.Label, after.Label);
        Assert.Equal("full", after.Type);
    }

    [WorldFact]
    public async Task SetupAgainWithCron_ChangesNothingElse_AndTheCronLineTakesAFullBackup()
    {
        using var temp = new TempFolder();
        var arguments = (await File.ReadAllLinesAsync(Path.Combine(world.Root, "primary", "setup-args"))).ToList();
        var setup = Path.Combine(RepositoryPaths.Root, "deploy", "primary", "setup-primary.sh");

        var output = await Shell.RunAsync(setup, [.. arguments, "--no-backup", "--backup-schedule", "cron", "--backup-schedule-dir", temp.Path], TimeSpan.FromMinutes(3));

        var cron = await File.ReadAllLinesAsync(Path.Combine(temp.Path, Name));
        var lines = cron.Where(l => l.Length > 0 && char.IsAsciiDigit(l[0])).ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("30 1 * * 0   postgres ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(" --type=full backup", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("30 1 * * 1-6 postgres ", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(" --type=diff backup", lines[1], StringComparison.Ordinal);
        Assert.Contains("created:   " + Path.Combine(temp.Path, Name), output, StringComparison.Ordinal);
        var changes = output.Split('\n').Where(l => ChangeLine().IsMatch(l) && !l.Contains(temp.Path, StringComparison.Ordinal)).ToList();
        Assert.True(changes.Count == 0, "run again, setup-primary.sh changed:\n" + string.Join('\n', changes));
        Assert.Contains("unchanged: " + world.PgBackRestConfig, output, StringComparison.Ordinal);

        var before = await NewestBackupAsync();
        var command = lines[0]["30 1 * * 0   postgres ".Length..];
        await Shell.AsPostgresAsync("sh", ["-c", command], TimeSpan.FromMinutes(5));
        var after = await NewestBackupAsync();
        Assert.NotEqual(before.Label, after.Label);
        Assert.Equal("full", after.Type);
    }

    /// <summary>The newest backup's label and type (repo1-retention-full may expire an older one meanwhile: count nothing).</summary>
    private async Task<(string Label, string Type)> NewestBackupAsync()
    {
        var info = await Shell.AsPostgresAsync("pgbackrest", ["--config=" + world.PgBackRestConfig, "--stanza=" + world.Stanza, "--output=json", "info"]);
        using var document = JsonDocument.Parse(info);
        var backups = document.RootElement[0].GetProperty("backup");
        var newest = backups[backups.GetArrayLength() - 1];
        return (newest.GetProperty("label").GetString()!, newest.GetProperty("type").GetString()!);
    }

    private static async Task<string> VerifyAsync(IEnumerable<string> units)
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var result = await Cli.Wrap("/usr/bin/systemd-analyze")
            .WithArguments(["verify", .. units])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cancellation.Token);
        return (result.StandardOutput + result.StandardError).Trim();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(updated|created|added):|restarting \(|created role")]
    private static partial System.Text.RegularExpressions.Regex ChangeLine();

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("pgstandby-schedule-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
