using PgStandby.Core.Restore;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.Restore;

public sealed class ReinitDescriptionTests
{
    private const string Data = "/var/lib/postgresql/data";
    private const string Stanza = "psql";
    private const string PrimaryHost = "pg-primary.example";

    private static readonly DataDirectoryInspection Standby = new(
        Data, IsEmpty: false, HasBackupManifest: false, PgVersion: "15", HasStandbySignal: true, HasPgControl: true, HasPostmasterPid: false,
        SampleEntries: ["PG_VERSION", "base", "global", "pg_wal", "standby.signal"]);

    private static readonly DataDirectoryInspection Promoted = Standby with { HasStandbySignal = false, SampleEntries = ["PG_VERSION", "base", "global", "pg_wal"] };

    private static readonly PromotionRecord Promotion = new(
        7712776465398710540, 2, 1, new DateTimeOffset(2026, 3, 1, 12, 30, 15, TimeSpan.Zero), "postgres_master:5432", PromotionRecord.ByCommand, "0/5000060");

    [Fact]
    public void Describe_PromotedNode_SaysPrimaryWhenAndThatLaterWritesAreDiscarded()
    {
        // Act
        var text = ReinitDescription.Describe(Promoted, Stanza, PrimaryHost, Promotion);

        // Assert
        var lines = text.Split('\n');
        Assert.Equal($"{Data} is a PRIMARY: {Promotion.Describe()}.", lines[0]);
        Assert.Contains($"re-synced from the newest backup of stanza {Stanza} on {PrimaryHost}", text, StringComparison.Ordinal);
        Assert.Contains("every write made on it since 2026-03-01 12:30:15Z is DISCARDED", text, StringComparison.Ordinal);
        Assert.Contains("pg_dump", text, StringComparison.Ordinal);
        Assert.EndsWith("then run: pgstandby reinit --yes", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_StandbyWithoutPromotion_UnchangedText()
    {
        // Act
        var text = ReinitDescription.Describe(Standby, Stanza, PrimaryHost);

        // Assert
        Assert.Equal(
            string.Join(
                '\n',
                $"pgstandby reinit re-syncs {Data} from the newest backup of stanza {Stanza} on {PrimaryHost}.",
                "It holds a PostgreSQL 15 data directory (a standby).",
                "Every file that differs from the backup is rewritten and every file the backup does not hold is deleted.",
                "Stop the worker first (it holds PGDATA's lock), then run: pgstandby reinit --yes"),
            text);
    }

    [Fact]
    public void Describe_NotAStandbyWithoutPromotion_WarnsOfWritesMadeNowhereElse()
    {
        // Act
        var text = ReinitDescription.Describe(Promoted, Stanza, PrimaryHost);

        // Assert
        Assert.Contains("It holds a PostgreSQL 15 data directory that is NOT a standby: it may hold writes made nowhere else.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIMARY", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_PromotionRecordedButStandbyAgain_StandbyText()
    {
        // Act
        var text = ReinitDescription.Describe(Standby, Stanza, PrimaryHost, Promotion);

        // Assert
        Assert.Equal(ReinitDescription.Describe(Standby, Stanza, PrimaryHost), text);
    }

    [Fact]
    public void Describe_EmptyFolderWithPromotionRecorded_NothingToDiscard()
    {
        // Arrange
        var empty = Standby with { IsEmpty = true, PgVersion = null, HasStandbySignal = false, HasPgControl = false, SampleEntries = [] };

        // Act
        var text = ReinitDescription.Describe(empty, Stanza, PrimaryHost, Promotion);

        // Assert
        Assert.Contains("It holds nothing.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("DISCARDED", text, StringComparison.Ordinal);
    }
}
