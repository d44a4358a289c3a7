using System.Text.Json;
using PgStandby.Core.Restore;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Tests.Restore;

public sealed class StandbyIdentityTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ToJson_Identity_UsesSnakeCaseNames()
    {
        // Arrange
        var identity = new StandbyIdentity("psql", 7712776465398710540, "15");

        // Act
        using var document = JsonDocument.Parse(identity.ToJson());

        // Assert
        Assert.Equal("psql", document.RootElement.GetProperty("stanza").GetString());
        Assert.Equal(7712776465398710540UL, document.RootElement.GetProperty("system_id").GetUInt64());
        Assert.Equal("15", document.RootElement.GetProperty("pg_version").GetString());
    }

    [Fact]
    public void Load_WrittenIdentity_RoundTrips()
    {
        // Arrange
        var identity = new StandbyIdentity("psql", ulong.MaxValue, "15");
        _temp.WriteFile(StandbyIdentity.FileName, identity.ToJson());

        // Act
        var loaded = StandbyIdentity.Load(_temp.Path);

        // Assert
        Assert.Equal(identity, loaded);
    }

    [Fact]
    public void Load_NoFile_ReturnsNull()
    {
        // Act
        var loaded = StandbyIdentity.Load(_temp.Path);

        // Assert
        Assert.Null(loaded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{not json")]
    [InlineData("{\"stanza\": \"psql\", \"system_id\": \"abc\"}")]
    public void Load_CorruptFile_ReturnsNull(string content)
    {
        // Arrange
        _temp.WriteFile(StandbyIdentity.FileName, content);

        // Act
        var loaded = StandbyIdentity.Load(_temp.Path);

        // Assert
        Assert.Null(loaded);
    }

    [Fact]
    public void Load_IdentityIsALink_IsRefusedNamingIt()
    {
        // Arrange
        var victim = new VictimFile(_temp);
        var path = victim.PlantLinkAt(_temp.Combine("state", StandbyIdentity.FileName));

        // Act
        var refusal = Assert.Throws<StandbyException>(() => StandbyIdentity.Load(_temp.Combine("state")));

        // Assert
        Assert.Contains(path, refusal.Message, StringComparison.Ordinal);
    }
}
