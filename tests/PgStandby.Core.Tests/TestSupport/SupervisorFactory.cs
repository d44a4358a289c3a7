using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Gaps;
using PgStandby.Core.Health;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Promotion;
using PgStandby.Core.Rendering;
using PgStandby.Core.Replication;
using PgStandby.Core.Restore;
using PgStandby.Core.Monitoring;
using PgStandby.Core.Supervision;

namespace PgStandby.Core.Tests.TestSupport;

/// <summary>A <see cref="PostgresSupervisor"/> on a <see cref="TestWorld"/>, real parts where they are ours, the given mocks for commands and queries.</summary>
internal static class SupervisorFactory
{
    public static PostgresSupervisor Create(
        TestWorld world,
        HealthState health,
        ICommandRunner commands,
        IStandbyQueries queries,
        IStandbyResync? resync = null,
        ResyncSignal? signal = null,
        StreamingStarted? streaming = null,
        NodeRole? role = null,
        IPromotionRecorder? promotions = null,
        Func<string, long?>? freeBytesOf = null,
        IConsistencyWatch? consistency = null)
    {
        // PGDATA as a restore leaves it: pgBackRest wrote standby.signal (without it, pg_control's "in production" reads as a promotion).
        Directory.CreateDirectory(world.Standby.DataDirectory);
        File.WriteAllText(Path.Combine(world.Standby.DataDirectory, "standby.signal"), string.Empty);
        role ??= new NodeRole();
        signal ??= new ResyncSignal();
        var tools = new PostgresTools(commands, Options.Create(world.Standby));
        var renderer = new ConfigRenderer(
            Options.Create(world.Repository),
            Options.Create(world.Replication),
            Options.Create(world.Standby),
            new FolderPreparer(NullLogger<FolderPreparer>.Instance),
            role,
            NullLogger<ConfigRenderer>.Instance);
        var forks = new ForkConfirmation(tools, queries, commands, Options.Create(world.Repository), Options.Create(world.Standby), signal, world.Time, NullLogger<ForkConfirmation>.Instance);
        return new PostgresSupervisor(
            commands,
            tools,
            renderer,
            resync ?? new Mock<IStandbyResync>(MockBehavior.Strict).Object,
            signal,
            forks,
            new PostgresRunLines(streaming ?? new StreamingStarted(), new RefusedSegments(), forks, health, Options.Create(world.Standby), world.Time)
            {
                FreeBytesOf = freeBytesOf ?? (_ => null),
            },
            new PostmasterReadiness(queries, Options.Create(world.Standby), world.Time),
            consistency ?? Mock.Of<IConsistencyWatch>(),
            new AdoptedPostmaster(),
            new LeftoverProcesses(world.Time, NullLogger<LeftoverProcesses>.Instance),
            new WalPrefetch(commands, Options.Create(world.Repository), Options.Create(world.Standby), NullLogger<WalPrefetch>.Instance),
            role,
            promotions ?? new Mock<IPromotionRecorder>(MockBehavior.Strict).Object,
            health,
            Options.Create(world.Standby),
            Options.Create(world.Supervision),
            world.Time,
            NullLogger<PostgresSupervisor>.Instance);
    }
}
