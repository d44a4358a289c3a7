using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using PgStandby.Core;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Health;
using PgStandby.Worker;
using PgStandby.Worker.Cli;
using PgStandby.Worker.Logging;
using PgStandby.Worker.Observability;
using PgStandby.Worker.Stages;

var verb = args.Length > 0 ? args[0] : "run";
var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
switch (verb)
{
    case "run":
        return await RunWorkerAsync(reinit: false, configuration);
    case "reinit":
        return args.Contains("--yes") ? await RunWorkerAsync(reinit: true, configuration) : ReinitCommand.Describe(configuration);
    case "promote":
        return await PromoteCommand.RunAsync(configuration, args[1..]);
    case "show-key":
        return ShowKeyCommand.Run(configuration);
    case "health":
        return HealthCommand.Run(configuration, args.Contains("--ready"));
    case "status":
        return StatusCommand.Run(configuration, args.Contains("--json"));
    case "--help" or "-h" or "help":
        Console.WriteLine(Usage.Text);
        return 0;
    default:
        Console.Error.WriteLine($"pgstandby: unknown command '{verb}'.");
        Console.Error.WriteLine(Usage.Text);
        return 64;
}

static async Task<int> RunWorkerAsync(bool reinit, IConfiguration configuration)
{
    // No host defaults: they watch appsettings.json under the content root (the working folder, often /)
    // with a recursive inotify watch, which took seconds at start and tens of MB. Settings are environment
    // variables only; the content root is the binary's folder, never watched.
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
    {
        Args = [],
        DisableDefaults = true,
        ContentRootPath = AppContext.BaseDirectory,
    });
    builder.Configuration.AddConfiguration(configuration);
    builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
    var json = string.Equals(configuration["PGSTANDBY_LOG_FORMAT"]?.Trim(), "json", StringComparison.Ordinal);
    builder.Logging.AddConsole(o =>
    {
        o.FormatterName = json ? JsonLineConsoleFormatter.FormatterName : PlainConsoleFormatter.FormatterName;

        // postgres's stderr goes through this log: if whatever reads the worker's output stops (a stuck log driver),
        // lines are dropped past this queue, counted in a line of their own, and postgres's backends never block on write().
        o.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite;
        o.MaxQueueLength = 10_000;
    });
    // Registered directly rather than with AddConsoleFormatter, which binds formatter options from configuration
    // by reflection (neither formatter has options): the worker stays publishable with Native AOT.
    builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, PlainConsoleFormatter>());
    builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, JsonLineConsoleFormatter>());
    builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);

    builder.Services.AddSystemd();
    builder.Services.AddPgStandbyCore();
    builder.Services.AddSingleton<IConfigureOptions<HostOptions>, HostShutdownSetup>();
    builder.Services.AddHostedService<StatusHeartbeatService>();
    builder.Services.AddPgStandbyTelemetry(builder.Configuration);
    builder.Services.AddHostedService<SystemdStatusService>();

    // Registration order is start order; stop order is the reverse (the monitor stops first, then postgres).
    builder.Services.AddHostedService<KeyProvisionerService>();
    builder.Services.AddHostedService<ConfigRendererService>();
    if (reinit)
    {
        // pgstandby reinit --yes: key, configuration, re-sync; postgres is left for the worker to start.
        builder.Services.AddHostedService<ReinitService>();
    }
    else
    {
        builder.Services.AddHostedService<RestoreService>();
        builder.Services.AddHostedService<PostgresProcessService>();
        builder.Services.AddHostedService<ReplicationLagMonitorService>();
    }

    using var host = builder.Build();
    var problems = StartupCheck.ConfigurationProblems(host.Services);
    if (problems.Count > 0)
    {
        Console.Error.WriteLine("pgstandby: the configuration is not valid; nothing was started and no file was written:");
        foreach (var problem in problems)
        {
            Console.Error.WriteLine("  - " + problem);
        }

        return ExitCodes.NeedsOperator;
    }

    StartupCheck.LogWarnings(host.Services);

    // One worker per PGDATA, decided before this worker writes anything (not even its status).
    if (WorkerLock.TryTake(host.Services, out var lockProblem) is { } lockExit)
    {
        Console.Error.WriteLine("pgstandby: " + lockProblem);
        return lockExit;
    }

    host.Services.GetRequiredService<StandbyMetrics>();
    await host.StartAsync().ConfigureAwait(false);

    var health = host.Services.GetRequiredService<HealthState>();
    host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(health.MarkStopping);
    await host.WaitForShutdownAsync().ConfigureAwait(false);
    return Environment.ExitCode;
}
