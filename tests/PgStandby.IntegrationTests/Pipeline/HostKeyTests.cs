using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Pipeline;

[Collection(WorldDefinition.Name)]
public sealed class HostKeyTests(PrimaryWorld world)
{
    [WorldFact]
    public async Task KnownHostsHoldsAnotherKey_RefusedWith78_KnownHostsKept()
    {
        await using var standby = world.NewStandby("host-key-changed");
        await standby.PreAuthorizeAsync();
        var knownHosts = Path.Combine(standby.SshDirectory, "known_hosts");
        var impostor = Path.Combine(standby.Directory, "impostor");
        await Shell.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", string.Empty, "-f", impostor]);
        var recorded = $"[127.0.0.1]:{world.SshPort} {string.Join(' ', (await File.ReadAllTextAsync(impostor + ".pub")).Split(' ').Take(2))}\n";
        await File.WriteAllTextAsync(knownHosts, recorded);
        standby.Start();

        Assert.Equal(78, await standby.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal("refused", standby.State);
        Assert.Contains("host key changed", standby.ReadStatus()!.Value.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(recorded, await File.ReadAllTextAsync(knownHosts));
        Assert.Empty(Directory.EnumerateFileSystemEntries(standby.DataDirectory));
    }

    [WorldFact]
    public async Task PinnedFingerprintDoesNotMatch_RefusedWith78()
    {
        await using var standby = world.NewStandby("host-key-pinned-wrong");
        standby.Environment["BACKREST_PRIMARY_HOST_KEY"] = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
        await standby.PreAuthorizeAsync();
        standby.Start();

        Assert.Equal(78, await standby.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("not the key pinned in BACKREST_PRIMARY_HOST_KEY", standby.Output, StringComparison.Ordinal);
    }

    [WorldFact]
    public async Task PinnedKeyMatches_StreamsAndRecordsItForPgBackRest()
    {
        await using var standby = world.NewStandby("host-key-pinned");
        standby.Environment["BACKREST_PRIMARY_HOST_KEY"] = world.HostKey;
        await standby.PreAuthorizeAsync();
        standby.Start();

        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));
        Assert.Contains(world.HostKey, await File.ReadAllTextAsync(Path.Combine(standby.SshDirectory, "known_hosts")), StringComparison.Ordinal);
    }
}
