using System.Text;
using CliWrap;
using CliWrap.Buffered;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Security;

/// <summary>
/// What setup-primary.sh puts around a standby's key for the read-only account: the key line's from="…" (--from), and
/// the forced command's log, which the account appends to but can neither truncate nor rewrite.
/// </summary>
[Collection(WorldDefinition.Name)]
public sealed class ReadOnlyAccountKeyTests(PrimaryWorld world)
{
    [WorldFact]
    public async Task KeyAuthorizedFromOneAddress_LoginFromAnotherLoopbackAddress_Refused()
    {
        // Loopback only: the world's sshd listens on 127.0.0.1, and a client bound to 127.0.0.2 reaches it over lo.
        var key = await StolenKey.AuthorizeAsync(world, "from-cidr", world.ReadOnlyAccount, "127.0.0.2");

        var fromOther = await key.SshAsync("pgbackrest version", "-b", "127.0.0.1");
        Assert.True(fromOther.ExitCode != 0 && fromOther.StandardError.Contains("Permission denied", StringComparison.Ordinal), $"a login from 127.0.0.1 was let in: exit {fromOther.ExitCode}\n{fromOther.StandardOutput}\n{fromOther.StandardError}");
        Assert.DoesNotContain("pgBackRest", fromOther.StandardOutput, StringComparison.Ordinal);

        var fromAllowed = await key.SshAsync("pgbackrest version", "-b", "127.0.0.2");
        Assert.True(fromAllowed.ExitCode == 0, $"a login from 127.0.0.2 was refused: exit {fromAllowed.ExitCode}\n{fromAllowed.StandardError}");
        Assert.StartsWith("pgBackRest ", fromAllowed.StandardOutput, StringComparison.Ordinal);
    }

    [WorldFact]
    public async Task ForcedCommandLog_TheAccountTriesToTruncateOrRewriteIt_FailsAndItsRefusalsStay()
    {
        var key = await StolenKey.AuthorizeAsync(world, "log-tamper", world.ReadOnlyAccount);
        var marker = "tamper-" + Guid.NewGuid().ToString("N")[..8];
        var refused = await key.SshAsync($"pgbackrest --stanza={marker} info");
        Assert.Contains("pgbackrest-only: refused", refused.StandardError, StringComparison.Ordinal);
        var before = await File.ReadAllBytesAsync(world.ForcedCommandLog);
        Assert.Contains($"REFUSED {world.ReadOnlyAccount}@127.0.0.1: --stanza other than {world.Stanza}: pgbackrest --stanza={marker} info", Encoding.UTF8.GetString(before), StringComparison.Ordinal);
        Assert.Equal("620 root postgres", (await Shell.RunAsync("stat", ["-c", "%a %U %G", world.ForcedCommandLog])).Trim());
        Assert.Contains("a", (await Shell.RunAsync("lsattr", ["-d", world.ForcedCommandLog])).Split(' ')[0], StringComparison.Ordinal);

        // As the account, with what a shell or pgBackRest's remote protocol could do to the file.
        var log = world.ForcedCommandLog;
        string[] attempts =
        [
            $": > {log}",
            $"truncate -s 0 {log}",
            $"printf 'forged\\n' > {log}",
            $"printf forged | dd of={log} conv=notrunc,nocreat status=none",
            $"rm -f {log}",
            $"mv {log} {log}.old",
            $"cat {log}",
        ];
        foreach (var attempt in attempts)
        {
            var result = await AsAccountAsync(attempt);
            Assert.True(result.ExitCode != 0, $"as {world.ReadOnlyAccount}, '{attempt}' succeeded:\n{result.StandardOutput}\n{result.StandardError}");
        }

        var put = await key.PgBackRestAsync(["repo-put", Path.GetRelativePath(world.RepoPath, log)], "forged");
        Assert.NotEqual(0, put.ExitCode);

        var after = await File.ReadAllBytesAsync(log);
        Assert.True(after.AsSpan().StartsWith(before), "the forced command's log was rewritten or truncated");
        Assert.DoesNotContain("forged", Encoding.UTF8.GetString(after), StringComparison.Ordinal);
    }

    private async Task<BufferedCommandResult> AsAccountAsync(string script)
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await Cli.Wrap("runuser").WithArguments(["-u", world.ReadOnlyAccount, "--", "sh", "-c", script])
            .WithWorkingDirectory("/").WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cancellation.Token);
    }
}
