using System.Text.Json;
using PgStandby.Core.Repository;
using PgStandby.Core.Tests.Restore;

namespace PgStandby.Core.Tests.Repository;

public sealed class RepositoryInfoTests
{
    [Fact]
    public void Parse_StanzaWithBackups_ReadsSystemVersionAndNewestBackup()
    {
        // Act
        var info = RepositoryInfo.Parse(PgBackRestInfoSamples.Ok, "psql");

        // Assert
        Assert.Equal(0, info.StatusCode);
        Assert.Equal("ok", info.StatusMessage);
        Assert.Equal(PgBackRestInfoSamples.SystemId, info.SystemId);
        Assert.Equal("15", info.PgVersion);
        Assert.Equal(2, info.BackupCount);
        Assert.Equal("20260301-120000F_20260302-120000I", info.NewestBackup);
        Assert.Equal(23157004, info.NewestBackupSize);
        Assert.True(info.HasBackup);
        Assert.False(info.StanzaMissing);
    }

    [Fact]
    public void Parse_StanzaWithBackups_ListsEachBackupsWalAndTheArchivesNewest()
    {
        // Act
        var info = RepositoryInfo.Parse(PgBackRestInfoSamples.Ok, "psql");

        // Assert
        Assert.Equal("000000010000000000000006", info.ArchiveNewest);
        Assert.Equal(
            [
                new BackupEntry("20260301-120000F", "000000010000000000000002", "000000010000000000000002", 0x2000028, 0x2000138, 23148567),
                new BackupEntry("20260301-120000F_20260302-120000I", "000000010000000000000005", "000000010000000000000005", 0x5000028, 0x5000100, 23157004),
            ],
            info.Backups);
        Assert.Equal(1, info.Backups[0].Timeline);
    }

    [Fact]
    public void Parse_MissingStanzaPath_StanzaMissing()
    {
        // Act
        var info = RepositoryInfo.Parse(PgBackRestInfoSamples.MissingStanzaPath, "psql");

        // Assert
        Assert.Equal(1, info.StatusCode);
        Assert.Equal("missing stanza path", info.StatusMessage);
        Assert.True(info.StanzaMissing);
        Assert.False(info.HasBackup);
        Assert.Null(info.SystemId);
        Assert.Null(info.NewestBackup);
        Assert.Null(info.NewestBackupSize);
    }

    [Fact]
    public void Parse_NoValidBackups_StanzaExistsWithoutBackup()
    {
        // Act
        var info = RepositoryInfo.Parse(PgBackRestInfoSamples.NoValidBackups, "psql");

        // Assert
        Assert.Equal(2, info.StatusCode);
        Assert.False(info.StanzaMissing);
        Assert.False(info.HasBackup);
        Assert.Equal(PgBackRestInfoSamples.SystemId, info.SystemId);
        Assert.Equal(0, info.BackupCount);
    }

    [Fact]
    public void Parse_MissingStanzaData_StanzaMissing()
    {
        // Act
        var info = RepositoryInfo.Parse(PgBackRestInfoSamples.MissingStanzaData, "psql");

        // Assert
        Assert.True(info.StanzaMissing);
        Assert.False(info.HasBackup);
    }

    [Fact]
    public void Parse_UpgradedStanza_UsesNewestDatabaseInHistory()
    {
        // Act
        var info = RepositoryInfo.Parse(PgBackRestInfoSamples.Upgraded, "psql");

        // Assert
        Assert.Equal(PgBackRestInfoSamples.SystemId, info.SystemId);
        Assert.Equal("15", info.PgVersion);
        Assert.Equal("20260101-000000F", info.NewestBackup);
        Assert.Equal(200, info.NewestBackupSize);
    }

    [Fact]
    public void Parse_SeveralStanzas_PicksTheNamedOne()
    {
        // Act
        var info = RepositoryInfo.Parse(PgBackRestInfoSamples.TwoStanzas, "psql");

        // Assert
        Assert.Equal(PgBackRestInfoSamples.SystemId, info.SystemId);
        Assert.True(info.HasBackup);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData(PgBackRestInfoSamples.TwoStanzas)]
    public void Parse_StanzaNotListed_ReportsItMissing(string json)
    {
        // Act
        var info = RepositoryInfo.Parse(json, "other");

        // Assert
        Assert.True(info.StanzaMissing);
        Assert.Contains("stanza other", info.StatusMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ERROR: [055]: unable to load info file")]
    [InlineData("[{\"name\": \"psql\"")]
    public void Parse_NotJson_ThrowsJsonException(string text)
    {
        // Act
        var exception = Record.Exception(() => RepositoryInfo.Parse(text, "psql"));

        // Assert
        Assert.IsAssignableFrom<JsonException>(exception);
    }
}
