using PgStandby.Core.Restore;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Tests.Restore;

public sealed class RestorePlannerTests
{
    private const string Data = "/var/lib/postgresql/data";
    private const string Stanza = "psql";
    private const ulong SystemId = 7712776465398710540;

    private static readonly DataDirectoryInspection CompleteStandby = new(
        Data, IsEmpty: false, HasBackupManifest: false, PgVersion: "15", HasStandbySignal: true, HasPgControl: true, HasPostmasterPid: false,
        SampleEntries: ["PG_VERSION", "base", "global", "pg_wal", "standby.signal"]);

    [Fact]
    public void Plan_EmptyFolder_FullRestore()
    {
        // Arrange
        var inspection = CompleteStandby with { IsEmpty = true, PgVersion = null, HasStandbySignal = false, HasPgControl = false, SampleEntries = [] };

        // Act
        var plan = RestorePlanner.Plan(inspection, Stanza, null, null);

        // Assert
        Assert.Equal(RestoreAction.FullRestore, plan.Action);
        Assert.True(plan.NeedsRepository);
    }

    [Fact]
    public void Plan_FreshVolumeWithOnlyLostAndFound_FullRestore()
    {
        // Arrange
        using var temp = new TempDirectory();
        temp.CreateFolder("data", "lost+found");
        var inspection = DataDirectoryInspection.Inspect(temp.Combine("data"));

        // Act
        var plan = RestorePlanner.Plan(inspection, Stanza, null, null);

        // Assert
        Assert.Equal(RestoreAction.FullRestore, plan.Action);
    }

    [Fact]
    public void Plan_BackupManifestLeftByInterruptedRestore_DeltaRestore()
    {
        // Arrange
        var inspection = CompleteStandby with { HasBackupManifest = true, HasPgControl = false, HasStandbySignal = false };

        // Act
        var plan = RestorePlanner.Plan(inspection, Stanza, null, null);

        // Assert
        Assert.Equal(RestoreAction.DeltaRestore, plan.Action);
        Assert.Contains("--delta", plan.Reason, StringComparison.Ordinal);
        Assert.True(plan.NeedsRepository);
    }

    [Fact]
    public void Plan_FilesThatAreNotPostgres_RefusesNamingThem()
    {
        // Arrange
        var inspection = CompleteStandby with { PgVersion = null, HasPgControl = false, HasStandbySignal = false, SampleEntries = ["notes.txt", "photos"] };

        // Act
        var plan = RestorePlanner.Plan(inspection, Stanza, null, null);

        // Assert
        Assert.Equal(RestoreAction.Refuse, plan.Action);
        Assert.Contains("notes.txt, photos", plan.Reason, StringComparison.Ordinal);
        Assert.Contains("move " + Data + " aside", plan.Fix, StringComparison.Ordinal);
        Assert.False(plan.NeedsRepository);
    }

    [Fact]
    public void Plan_PostgresOtherVersion_Refuses()
    {
        // Arrange
        var inspection = CompleteStandby with { PgVersion = "14" };

        // Act
        var plan = RestorePlanner.Plan(inspection, Stanza, null, SystemId);

        // Assert
        Assert.Equal(RestoreAction.Refuse, plan.Action);
        Assert.Contains("PostgreSQL 14", plan.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(plan.Fix);
    }

    [Fact]
    public void Plan_NoPgControl_Refuses()
    {
        // Arrange
        var inspection = CompleteStandby with { HasPgControl = false };

        // Act
        var plan = RestorePlanner.Plan(inspection, Stanza, null, null);

        // Assert
        Assert.Equal(RestoreAction.Refuse, plan.Action);
        Assert.Contains("pg_control", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_PgControlUnreadable_Refuses()
    {
        // Act
        var plan = RestorePlanner.Plan(CompleteStandby, Stanza, null, systemId: null);

        // Assert
        Assert.Equal(RestoreAction.Refuse, plan.Action);
    }

    [Fact]
    public void Plan_NoStandbySignal_RefusesAsPossiblePrimary()
    {
        // Arrange
        var inspection = CompleteStandby with { HasStandbySignal = false };

        // Act
        var plan = RestorePlanner.Plan(inspection, Stanza, new StandbyIdentity(Stanza, SystemId, "15"), SystemId);

        // Assert
        Assert.Equal(RestoreAction.Refuse, plan.Action);
        Assert.Contains("standby.signal", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_CompleteStandbyNeverVerified_VerifyWithRepository()
    {
        // Act
        var plan = RestorePlanner.Plan(CompleteStandby, Stanza, null, SystemId);

        // Assert
        Assert.Equal(RestoreAction.VerifyWithRepository, plan.Action);
        Assert.True(plan.NeedsRepository);
    }

    [Fact]
    public void Plan_RememberedIdentityMatches_StartExisting()
    {
        // Act
        var plan = RestorePlanner.Plan(CompleteStandby, Stanza, new StandbyIdentity(Stanza, SystemId, "15"), SystemId);

        // Assert
        Assert.Equal(RestoreAction.StartExisting, plan.Action);
        Assert.False(plan.NeedsRepository);
    }

    [Fact]
    public void Plan_RememberedOtherSystem_Refuses()
    {
        // Act
        var plan = RestorePlanner.Plan(CompleteStandby, Stanza, new StandbyIdentity(Stanza, SystemId + 1, "15"), SystemId);

        // Assert
        Assert.Equal(RestoreAction.Refuse, plan.Action);
        Assert.Contains(SystemId.ToString(System.Globalization.CultureInfo.InvariantCulture), plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_RememberedOtherStanza_Refuses()
    {
        // Act
        var plan = RestorePlanner.Plan(CompleteStandby, "other", new StandbyIdentity(Stanza, SystemId, "15"), SystemId);

        // Assert
        Assert.Equal(RestoreAction.Refuse, plan.Action);
        Assert.Contains("BACKREST_STANZA is other", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_RepositoryHoldsSameSystemAndVersion_StartExisting()
    {
        // Arrange
        var repository = new RepositoryInfo(0, "ok", SystemId, "15", 1, "20260301-120000F", 1024);

        // Act
        var plan = RestorePlanner.Verify(CompleteStandby, Stanza, SystemId, repository);

        // Assert
        Assert.Equal(RestoreAction.StartExisting, plan.Action);
    }

    [Theory]
    [InlineData(1234UL, "15")]
    [InlineData(SystemId, "14")]
    [InlineData(null, "15")]
    public void Verify_RepositoryHoldsOtherSystemOrVersion_Refuses(ulong? repositorySystemId, string repositoryVersion)
    {
        // Arrange
        var repository = new RepositoryInfo(0, "ok", repositorySystemId, repositoryVersion, 1, "20260301-120000F", 1024);

        // Act
        var plan = RestorePlanner.Verify(CompleteStandby, Stanza, SystemId, repository);

        // Assert
        Assert.Equal(RestoreAction.Refuse, plan.Action);
        Assert.Contains("BACKREST_STANZA", plan.Fix, StringComparison.Ordinal);
    }
}
