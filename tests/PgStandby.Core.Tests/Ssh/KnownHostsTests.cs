using PgStandby.Core.Ssh;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Tests.Ssh;

public sealed class KnownHostsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly KnownHosts _knownHosts;

    public KnownHostsTests()
    {
        _knownHosts = new KnownHosts(_temp.Combine("known_hosts"));
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("primary.example", 22, "primary.example")]
    [InlineData("primary.example", 2222, "[primary.example]:2222")]
    [InlineData("10.0.0.5", 22, "10.0.0.5")]
    public void HostField_HostAndPort_FollowsOpenSsh(string host, int port, string expected)
    {
        // Act
        var field = KnownHosts.HostField(host, port);

        // Assert
        Assert.Equal(expected, field);
    }

    [Fact]
    public void Find_NoFile_ReturnsNothing()
    {
        // Act
        var keys = _knownHosts.Find(SampleKeys.Host, 22);

        // Assert
        Assert.Empty(keys);
    }

    [Fact]
    public void Find_PlainEntries_ReturnsKeysOfThatHostOnly()
    {
        // Arrange
        Write(
            "# comment line",
            "other.example ssh-ed25519 " + SampleKeys.OtherEd25519Base64,
            "PRIMARY.example ssh-ed25519 " + SampleKeys.Ed25519Base64 + " comment",
            "alias,primary.example ssh-rsa " + SampleKeys.RsaBase64,
            "[primary.example]:2222 ssh-ed25519 " + SampleKeys.OtherEd25519Base64,
            "@revoked primary.example ssh-ed25519 " + SampleKeys.OtherEd25519Base64,
            "primary.example",
            string.Empty);

        // Act
        var keys = _knownHosts.Find(SampleKeys.Host, 22);

        // Assert
        Assert.Equal([SampleKeys.Ed25519Base64, SampleKeys.RsaBase64], keys.Select(k => k.Base64));
    }

    [Fact]
    public void Find_PortEntry_MatchesBracketedFieldOnly()
    {
        // Arrange
        Write(
            "primary.example ssh-ed25519 " + SampleKeys.Ed25519Base64,
            "[primary.example]:2222 ssh-ed25519 " + SampleKeys.OtherEd25519Base64);

        // Act
        var keys = _knownHosts.Find(SampleKeys.Host, 2222);

        // Assert
        var key = Assert.Single(keys);
        Assert.Equal(SampleKeys.OtherEd25519Base64, key.Base64);
    }

    [Theory]
    [InlineData(SampleKeys.HashedLinePort22, 22, true)]
    [InlineData(SampleKeys.HashedLinePort22, 2222, false)]
    [InlineData(SampleKeys.HashedLinePort2222, 2222, true)]
    [InlineData(SampleKeys.HashedLinePort2222, 22, false)]
    public void Find_HashedEntry_MatchesSshKeygenHash(string line, int port, bool expected)
    {
        // Arrange
        Write(line);

        // Act
        var keys = _knownHosts.Find(SampleKeys.Host, port);

        // Assert
        Assert.Equal(expected, keys.Count == 1 && keys[0].SameAs(SampleKeys.Ed25519));
    }

    [Fact]
    public void Find_HashedEntryOfOtherHost_DoesNotMatch()
    {
        // Arrange
        Write(SampleKeys.HashedLinePort22, "|1|bad|entry ssh-ed25519 " + SampleKeys.Ed25519Base64, "|1|!!|!! ssh-ed25519 " + SampleKeys.Ed25519Base64);

        // Act
        var keys = _knownHosts.Find("other.example", 22);

        // Assert
        Assert.Empty(keys);
    }

    [Fact]
    public void Render_NoFile_WritesSingleLine()
    {
        // Act
        var text = _knownHosts.Render(SampleKeys.Host, 22, SampleKeys.Ed25519);

        // Assert
        Assert.Equal("primary.example ssh-ed25519 " + SampleKeys.Ed25519Base64 + "\n", text);
    }

    [Fact]
    public void Render_ExistingEntries_ReplacesThisHostsPlainAndHashedEntriesKeepingOthers()
    {
        // Arrange
        Write(
            "# kept comment",
            "other.example ssh-ed25519 " + SampleKeys.OtherEd25519Base64,
            "[primary.example]:2222 ssh-ed25519 " + SampleKeys.Ed25519Base64,
            SampleKeys.HashedLinePort2222,
            "primary.example ssh-ed25519 " + SampleKeys.Ed25519Base64);

        // Act
        var text = _knownHosts.Render(SampleKeys.Host, 2222, SampleKeys.OtherEd25519);

        // Assert
        Assert.Equal(
            string.Join(
                '\n',
                "# kept comment",
                "other.example ssh-ed25519 " + SampleKeys.OtherEd25519Base64,
                "primary.example ssh-ed25519 " + SampleKeys.Ed25519Base64,
                "[primary.example]:2222 ssh-ed25519 " + SampleKeys.OtherEd25519Base64) + "\n",
            text);
    }

    [Fact]
    public void Render_ThenFind_FindsTheRecordedKey()
    {
        // Arrange
        Write("primary.example ssh-ed25519 " + SampleKeys.OtherEd25519Base64);

        // Act
        File.WriteAllText(_knownHosts.Path, _knownHosts.Render(SampleKeys.Host, 22, SampleKeys.Ed25519));
        var keys = _knownHosts.Find(SampleKeys.Host, 22);

        // Assert
        var key = Assert.Single(keys);
        Assert.True(key.SameAs(SampleKeys.Ed25519));
    }

    private void Write(params string[] lines) => File.WriteAllText(_knownHosts.Path, string.Join('\n', lines) + "\n");

    [Fact]
    public void Render_KnownHostsIsALink_IsRefusedSoNoOtherFileIsCopiedIntoIt()
    {
        // Arrange
        var victim = new VictimFile(_temp);
        victim.PlantLinkAt(_knownHosts.Path);

        // Act
        var refusal = Assert.Throws<StandbyException>(() => _knownHosts.Render(SampleKeys.Host, 22, SampleKeys.Ed25519));

        // Assert
        Assert.Contains($"{_knownHosts.Path}: it is a symbolic link", refusal.Message, StringComparison.Ordinal);
        victim.AssertUntouched();
    }
}
