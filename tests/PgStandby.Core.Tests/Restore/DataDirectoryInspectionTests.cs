using PgStandby.Core.Restore;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Restore;

public sealed class DataDirectoryInspectionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Inspect_MissingFolder_IsEmpty()
    {
        // Act
        var inspection = DataDirectoryInspection.Inspect(_temp.Combine("missing"));

        // Assert
        Assert.True(inspection.IsEmpty);
        Assert.Null(inspection.PgVersion);
    }

    [Fact]
    public void Inspect_OnlyLostAndFound_IsEmpty()
    {
        // Arrange
        _temp.CreateFolder("data", "lost+found");

        // Act
        var inspection = DataDirectoryInspection.Inspect(_temp.Combine("data"));

        // Assert
        Assert.True(inspection.IsEmpty);
        Assert.Empty(inspection.SampleEntries);
    }

    [Fact]
    public void Inspect_RestoredStandby_ReadsEveryMarker()
    {
        // Arrange
        _temp.WriteFile("data/PG_VERSION", "15\n");
        _temp.WriteFile("data/global/pg_control", "binary");
        _temp.WriteFile("data/standby.signal");
        _temp.WriteFile("data/postmaster.pid", "12345\n");
        _temp.CreateFolder("data", "base");

        // Act
        var inspection = DataDirectoryInspection.Inspect(_temp.Combine("data"));

        // Assert
        Assert.False(inspection.IsEmpty);
        Assert.Equal("15", inspection.PgVersion);
        Assert.True(inspection.HasPgControl);
        Assert.True(inspection.HasStandbySignal);
        Assert.True(inspection.HasPostmasterPid);
        Assert.False(inspection.HasBackupManifest);
    }

    [Fact]
    public void Inspect_InterruptedRestore_HasBackupManifest()
    {
        // Arrange
        _temp.WriteFile("data/backup.manifest", "[backup]");

        // Act
        var inspection = DataDirectoryInspection.Inspect(_temp.Combine("data"));

        // Assert
        Assert.True(inspection.HasBackupManifest);
        Assert.False(inspection.IsEmpty);
    }

    [Fact]
    public void Inspect_ManyEntries_SamplesFirstFiveInOrdinalOrder()
    {
        // Arrange
        foreach (var name in new[] { "g", "b", "F", "a", "e", "c", "d" })
        {
            _temp.WriteFile("data/" + name);
        }

        // Act
        var inspection = DataDirectoryInspection.Inspect(_temp.Combine("data"));

        // Assert
        Assert.Equal(["F", "a", "b", "c", "d"], inspection.SampleEntries);
    }
}
