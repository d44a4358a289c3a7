using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// README, Building: `dotnet publish src/PgStandby.Worker -c Release -o DIR` makes a Native AOT binary where clang is
/// installed (tests/run.sh installs it, so the integration tests prove the native binary) and a framework-dependent
/// ReadyToRun build otherwise; both start.
/// </summary>
public sealed class PublishTests
{
    [NativeAotFact]
    public async Task TheBinaryUnderTest_IsOneNativeExecutable_WhenClangIsInstalled()
    {
        Assert.True(
            File.Exists(Prerequisites.Clang),
            $"clang is missing ({Prerequisites.Clang}): install it (apt-get install clang zlib1g-dev, as tests/run.sh's PACKAGES do) so that CI tests the Native AOT binary");

        var binary = await PublishedBinary.GetAsync();
        var folder = Path.GetDirectoryName(binary)!;

        Assert.Equal(ElfMagic, File.ReadAllBytes(binary)[..4]);
        Assert.False(File.Exists(Path.Combine(folder, "pgstandby.dll")), $"{folder} holds pgstandby.dll: a framework-dependent build, not the Native AOT one");
        Assert.Empty(Directory.GetFiles(folder, "*.pdb").Concat(Directory.GetFiles(folder, "*.dbg")));
        Assert.Contains("Usage: pgstandby", await Shell.RunAsync(binary, ["--help"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAot_TheSameCommandPublishesAFrameworkDependentBuild_ThatStarts()
    {
        var scratch = Directory.CreateTempSubdirectory("pgstandby-publish-");
        try
        {
            var output = Path.Combine(scratch.FullName, "out");
            // Its own bin/obj (--artifacts-path): never the checkout's, which another publish may be using.
            await Shell.RunAsync("dotnet", ["publish", Path.Combine(RepositoryPaths.Root, "src", "PgStandby.Worker"), "-c", "Release", "-o", output,
                "-p:PublishAot=false", "--artifacts-path", Path.Combine(scratch.FullName, "artifacts"), "-nologo"], TimeSpan.FromMinutes(10));

            Assert.True(File.Exists(Path.Combine(output, "pgstandby.dll")), "a framework-dependent build has pgstandby.dll beside its launcher");
            Assert.Contains("Usage: pgstandby", await Shell.RunAsync(Path.Combine(output, "pgstandby"), ["--help"]), StringComparison.Ordinal);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static byte[] ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];
}
