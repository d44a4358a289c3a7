using System.Text;
using CliWrap;
using CliWrap.Buffered;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>deploy/systemd: the unit's contract with the worker, checked by systemd's own verifier on the installed layout.</summary>
public sealed class SystemdUnitTests
{
    private const string Service = "Service";
    private const string SystemdPackageHint = "systemd-analyze is missing: add the apt package 'systemd' to PACKAGES in tests/run.sh";

    private static readonly string UnitInRepository = Path.Combine(RepositoryPaths.Root, "deploy/systemd/pgstandby.service");

    [Fact]
    public void Unit_RunsTheWorkerAsPostgres_WithTheSettingsFileAndNotify()
    {
        var unit = SystemdUnitFile.Load(UnitInRepository);

        Assert.Equal("notify", unit.Single(Service, "Type"));
        Assert.Equal("postgres", unit.Single(Service, "User"));
        Assert.Equal("postgres", unit.Single(Service, "Group"));
        Assert.Equal("/etc/pgstandby/pgstandby.env", unit.Single(Service, "EnvironmentFile"));
        Assert.Equal("/opt/pgstandby/pgstandby", unit.Single(Service, "ExecStart"));
        Assert.Equal("pgstandby", unit.Single(Service, "RuntimeDirectory"));
    }

    [Fact]
    public void Unit_RestartsOnFailureButNotOnRefusal_AndOutlastsTheWorkersStop()
    {
        var unit = SystemdUnitFile.Load(UnitInRepository);

        Assert.Equal("on-failure", unit.Single(Service, "Restart"));
        Assert.Equal("78", unit.Single(Service, "RestartPreventExitStatus"));
        Assert.Equal("mixed", unit.Single(Service, "KillMode"));
        // The worker's whole stop: PGSTANDBY_STOP_TIMEOUT_SECONDS (default 60) + 15 s; systemd must wait longer.
        var timeoutStop = unit.Single(Service, "TimeoutStopSec");
        Assert.True(int.TryParse(timeoutStop, out var seconds) && seconds > 60 + 15, $"TimeoutStopSec={timeoutStop} must be whole seconds above 75");
    }

    [Fact]
    public void Unit_IsHardened_AndMayWriteEveryFolderTheWorkerWrites()
    {
        var unit = SystemdUnitFile.Load(UnitInRepository);

        Assert.Equal("yes", unit.Single(Service, "NoNewPrivileges"));
        Assert.Equal("strict", unit.Single(Service, "ProtectSystem"));
        Assert.Equal("yes", unit.Single(Service, "PrivateTmp"));
        string[] written =
        [
            "/var/lib/postgresql/data", "/var/lib/postgresql/.ssh", "/var/lib/pgbackrest", "/etc/pgbackrest",
            "/var/log/pgbackrest", "/var/spool/pgbackrest", "/run/postgresql",
        ];
        var allowed = unit.All(Service, "ReadWritePaths").SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(written.Order(StringComparer.Ordinal), allowed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Unit_RunsWithoutCapabilitiesDevicesOrCoreDumps_AndOnlyTheSocketsAndCallsItUses()
    {
        var unit = SystemdUnitFile.Load(UnitInRepository);

        // User=postgres from the start: the worker changes no owner and no user, so it needs no capability.
        Assert.Equal("postgres", unit.Single(Service, "User"));
        Assert.Equal(string.Empty, unit.Single(Service, "CapabilityBoundingSet"));
        Assert.Equal(string.Empty, unit.Single(Service, "AmbientCapabilities"));
        Assert.Equal("yes", unit.Single(Service, "PrivateDevices"));
        Assert.Equal("AF_UNIX AF_INET AF_INET6", unit.Single(Service, "RestrictAddressFamilies"));
        Assert.Equal("@system-service", unit.Single(Service, "SystemCallFilter"));
        Assert.Equal("0077", unit.Single(Service, "UMask"));
        Assert.Equal("0", unit.Single(Service, "LimitCORE"));
        Assert.Equal("0750", unit.Single(Service, "RuntimeDirectoryMode"));
    }

    [WorldFact]
    public async Task Unit_SystemdAnalyzeSecurity_ExposureAtMostThree()
    {
        Assert.True(File.Exists("/usr/bin/systemd-analyze"), SystemdPackageHint);

        // --threshold is the exposure times ten; the README quotes the score this test holds the unit to.
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var result = await Cli.Wrap("/usr/bin/systemd-analyze")
            .WithArguments(["security", "--offline=true", "--threshold=30", "--no-pager", UnitInRepository])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cancellation.Token);

        Assert.True(result.ExitCode == 0, $"systemd-analyze security exited {result.ExitCode}:\n{result.StandardOutput}{result.StandardError}");
        Assert.Contains("Overall exposure level for pgstandby.service", result.StandardOutput, StringComparison.Ordinal);
    }

    [WorldFact]
    public async Task InstalledUnit_SystemdAnalyzeVerify_ReportsNoProblems()
    {
        Assert.True(File.Exists("/usr/bin/systemd-analyze"), SystemdPackageHint);
        using var install = await StagedInstall.CreateAsync();
        // verify --root needs the targets the unit pulls in (multi-user.target, sysinit.target...).
        var unitsFolder = Path.Combine(install.Root, "usr/lib/systemd");
        Directory.CreateDirectory(unitsFolder);
        await Shell.RunAsync("cp", ["-a", "/usr/lib/systemd/system", unitsFolder]);

        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var result = await Cli.Wrap("/usr/bin/systemd-analyze")
            .WithArguments(["verify", "--root=" + install.Root, install.UnitPath])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cancellation.Token);

        // Unknown keys and bad values are only warnings (exit 0): any output at all is a problem.
        var report = (result.StandardOutput + result.StandardError).Trim();
        Assert.True(result.ExitCode == 0 && report.Length == 0, $"systemd-analyze verify exited {result.ExitCode}:\n{report}");
    }

    [WorldFact]
    public async Task InstallScript_LaysOutBinarySettingsAndFoldersWhereTheUnitNamesThem()
    {
        using var install = await StagedInstall.CreateAsync();

        Assert.True(File.Exists(install.Binary), install.Output);
        Assert.Equal(await File.ReadAllTextAsync(UnitInRepository), await File.ReadAllTextAsync(install.UnitPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(install.EnvironmentFile));
        var unit = SystemdUnitFile.Load(install.UnitPath);
        var folders = unit.All(Service, "ReadWritePaths").Select(p => Path.Combine(install.Root, p.TrimStart('/'))).ToList();
        var owners = await Shell.RunAsync("stat", ["-c", "%U", .. folders]);
        Assert.All(owners.Split('\n', StringSplitOptions.RemoveEmptyEntries), owner => Assert.Equal("postgres", owner));
        Assert.Contains("pgstandby show-key", install.Output, StringComparison.Ordinal);
    }

    [WorldFact]
    public async Task InstalledBinary_RunAsTheUnitWould_BeforeTheHostIsSet_Exits78NamingIt()
    {
        using var install = await StagedInstall.CreateAsync();
        // As systemd would: User=postgres, only the EnvironmentFile's variables, ExecStart's path.
        var settings = (await File.ReadAllLinesAsync(install.EnvironmentFile))
            .Where(line => line.Length > 0 && line[0] != '#')
            .ToList();

        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var result = await Cli.Wrap("runuser")
            .WithArguments(["-u", "postgres", "--", "env", "-i", .. settings, install.Binary])
            .WithWorkingDirectory("/")
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cancellation.Token);

        // 78 is the unit's RestartPreventExitStatus: an unconfigured host does not restart in a loop.
        Assert.Equal(78, result.ExitCode);
        Assert.Contains("BACKREST_PRIMARY_HOST is required", result.StandardError, StringComparison.Ordinal);
    }
}
