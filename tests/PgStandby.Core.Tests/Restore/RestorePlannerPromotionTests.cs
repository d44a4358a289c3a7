using PgStandby.Core.Restore;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.Restore;

/// <summary>The planner with a promotion this worker recorded: a PGDATA it saw promoted starts as a primary, anything else as before.</summary>
public sealed class RestorePlannerPromotionTests
{
    private const string Data = "/var/lib/postgresql/data";
    private const string Stanza = "psql";
    private const ulong SystemId = 7712776465398710540;

    private static readonly DataDirectoryInspection Promoted = new(
        Data, IsEmpty: false, HasBackupManifest: false, PgVersion: "15", HasStandbySignal: false, HasPgControl: true, HasPostmasterPid: false,
        SampleEntries: ["PG_VERSION", "base", "global", "pg_wal"]);

    private static readonly PromotionRecord Promotion = new(
        SystemId, 2, 1, new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.Zero), "postgres_master:5432", PromotionRecord.ByCommand, "0/5000060");

    private static readonly StandbyIdentity Remembered = new(Stanza, SystemId, "15");

    [Fact]
    public void Plan_NoStandbySignalAndThePromotedSystem_StartAsPrimaryWithoutTheRepository()
    {
        // Act
        var plan = RestorePlanner.Plan(Promoted, Stanza, Remembered, SystemId, Promotion);

        // Assert
        Assert.Equal(RestoreAction.StartAsPrimary, plan.Action);
        Assert.False(plan.NeedsRepository);
        Assert.Contains($"system {SystemId}", plan.Reason, StringComparison.Ordinal);
        Assert.Contains(Promotion.Describe(), plan.Reason, StringComparison.Ordinal);
        Assert.Contains("starting it as a primary", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_NoIdentityRememberedButPromoted_StartAsPrimary()
    {
        // Act
        var plan = RestorePlanner.Plan(Promoted, Stanza, null, SystemId, Promotion);

        // Assert
        Assert.Equal(RestoreAction.StartAsPrimary, plan.Action);
    }

    [Fact]
    public void Plan_NoStandbySignalAndAnotherSystem_RefusesAsBefore()
    {
        // Act
        var plan = RestorePlanner.Plan(Promoted, Stanza, Remembered, SystemId + 1, Promotion);

        // Assert
        Assert.Equal(RestoreAction.Refuse, plan.Action);
        Assert.Equal(RestorePlanner.Plan(Promoted, Stanza, Remembered, SystemId + 1), plan);
        Assert.Contains("not a standby (no standby.signal)", plan.Reason, StringComparison.Ordinal);
        Assert.Contains("move " + Data + " aside", plan.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_NoStandbySignalWithoutPromotion_Refuses()
    {
        // Act
        var plan = RestorePlanner.Plan(Promoted, Stanza, Remembered, SystemId, promotion: null);

        // Assert
        Assert.Equal(RestoreAction.Refuse, plan.Action);
    }

    [Fact]
    public void Plan_StandbySignalPresent_AStandbyAgainNotAPrimary()
    {
        // Arrange: rebuilt as a standby of the same system (a promotion keeps the system identifier)
        var standby = Promoted with { HasStandbySignal = true };

        // Act
        var plan = RestorePlanner.Plan(standby, Stanza, Remembered, SystemId, Promotion);

        // Assert
        Assert.Equal(RestoreAction.StartExisting, plan.Action);
    }

    [Fact]
    public void Plan_StandbySignalPresentNeverVerified_VerifiesWithRepository()
    {
        // Act
        var plan = RestorePlanner.Plan(Promoted with { HasStandbySignal = true }, Stanza, null, SystemId, Promotion);

        // Assert
        Assert.Equal(RestoreAction.VerifyWithRepository, plan.Action);
    }

    [Fact]
    public void Plan_BackupManifestLeftByInterruptedReinit_DeltaRestoreStillWins()
    {
        // Arrange
        var interrupted = Promoted with { HasBackupManifest = true };

        // Act
        var plan = RestorePlanner.Plan(interrupted, Stanza, Remembered, SystemId, Promotion);

        // Assert
        Assert.Equal(RestoreAction.DeltaRestore, plan.Action);
        Assert.True(plan.NeedsRepository);
    }

    [Fact]
    public void Plan_EmptyFolderWithPromotionRecorded_FullRestore()
    {
        // Arrange
        var empty = Promoted with { IsEmpty = true, PgVersion = null, HasPgControl = false, SampleEntries = [] };

        // Act
        var plan = RestorePlanner.Plan(empty, Stanza, Remembered, null, Promotion);

        // Assert
        Assert.Equal(RestoreAction.FullRestore, plan.Action);
    }

    [Fact]
    public void Plan_PgControlUnreadable_RefusesEvenWithPromotion()
    {
        // Act
        var plan = RestorePlanner.Plan(Promoted with { HasPgControl = false }, Stanza, Remembered, null, Promotion);

        // Assert
        Assert.Equal(RestoreAction.Refuse, plan.Action);
        Assert.Contains("no readable global/pg_control", plan.Reason, StringComparison.Ordinal);
    }
}
