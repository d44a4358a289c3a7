using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Processes;
using PgStandby.Core.Ssh;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Tls;

namespace PgStandby.Core.Tests.Tls;

/// <summary>The standby's TLS identity on disk: made once, then checked and its CA pinned before each use.</summary>
public sealed class TlsClientCredentialsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly StandbyOptions _standby;
    private readonly RepositoryOptions _repository = new() { PrimaryHost = "primary.example", Transport = RepositoryTransport.Tls };
    private readonly CapturingLogger<TlsClientCredentials> _logger = new();

    public TlsClientCredentialsTests()
    {
        _standby = new StandbyOptions { TlsDirectory = _temp.Combine("tls"), RunDirectory = _temp.CreateFolder("run") };
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EnsureAsync_FirstStart_KeyOwnerOnlyAndARequestForTheStandbysName_SecondStartKeepsThem()
    {
        // Arrange
        var credentials = Credentials();

        // Act
        await credentials.EnsureAsync(CancellationToken.None);
        var key = await File.ReadAllTextAsync(KeyPath);
        await credentials.EnsureAsync(CancellationToken.None);

        // Assert
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
        Assert.Equal(key, await File.ReadAllTextAsync(KeyPath));
        Assert.StartsWith("replica-east-", TlsClientIdentity.ReadCommonName(await File.ReadAllTextAsync(RequestPath)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_NoCertificateYet_WaitsForTheOperator()
    {
        // Arrange
        var credentials = Credentials();
        await credentials.EnsureAsync(CancellationToken.None);

        // Act
        var thrown = Assert.Throws<PrimaryUnavailableException>(credentials.Prepare);

        // Assert
        Assert.Equal(PrimaryUnavailableKind.KeyNotAuthorized, thrown.Kind);
        Assert.Null(credentials.Current);
    }

    [Fact]
    public async Task Prepare_BundlePlaced_PinsItsCaOnFirstUse_ThenKeepsThatPin()
    {
        // Arrange
        using var ca = TestCa.Create();
        var credentials = Credentials();
        await credentials.EnsureAsync(CancellationToken.None);
        await File.WriteAllTextAsync(CertificatePath, ca.Sign(await File.ReadAllTextAsync(RequestPath)) + ca.Pem);

        // Act
        var first = credentials.Prepare();
        var second = credentials.Prepare();

        // Assert
        Assert.Contains("(trusted on first use)", first, StringComparison.Ordinal);
        Assert.Contains("(pinned on first use)", second, StringComparison.Ordinal);
        Assert.Equal(ca.Pem.Trim(), (await File.ReadAllTextAsync(TlsClientFiles.CaPathIn(_standby.TlsDirectory))).Trim());
        Assert.NotNull(credentials.Current);
        Assert.Contains(_logger.Messages, m => m.Contains("Pinned the primary's CA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prepare_CertificateFromAnotherCaThanTheVariables_WaitsNamingThePinnedCa()
    {
        // Arrange
        using var primaryCa = TestCa.Create("CN=primary-ca");
        using var otherCa = TestCa.Create("CN=other-ca");
        _repository.TlsCaPem = primaryCa.Pem;
        var credentials = Credentials();
        await credentials.EnsureAsync(CancellationToken.None);
        await File.WriteAllTextAsync(CertificatePath, otherCa.Sign(await File.ReadAllTextAsync(RequestPath)) + otherCa.Pem);

        // Act
        var thrown = Assert.Throws<PrimaryUnavailableException>(credentials.Prepare);

        // Assert
        Assert.Equal(PrimaryUnavailableKind.KeyNotAuthorized, thrown.Kind);
        Assert.Contains("the pinned CA is", thrown.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(TlsClientFiles.CaPathIn(_standby.TlsDirectory)), "a CA given in the variable is not pinned on first use");
    }

    [Fact]
    public async Task Prepare_CertificateInTheVariable_CopiedWherePgBackRestReadsIt()
    {
        // Arrange
        using var ca = TestCa.Create();
        var credentials = Credentials();
        await credentials.EnsureAsync(CancellationToken.None);
        _standby.TlsCertificatePem = ca.Sign(await File.ReadAllTextAsync(RequestPath)) + ca.Pem;

        // Act
        credentials.Prepare();

        // Assert
        var files = new RunFiles(_standby);
        Assert.Equal(files.TlsCertificate, TlsClientFiles.CertificateFor(_standby, files));
        Assert.Equal(_standby.TlsCertificatePem, await File.ReadAllTextAsync(files.TlsCertificate));
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(40, false)]
    public async Task Prepare_CertificateNearItsEnd_WarnsFromThirtyDaysBefore(int daysLeft, bool warned)
    {
        // Arrange
        using var ca = TestCa.Create();
        var credentials = Credentials();
        await credentials.EnsureAsync(CancellationToken.None);
        await File.WriteAllTextAsync(CertificatePath, ca.Sign(await File.ReadAllTextAsync(RequestPath), notAfter: TestCa.Now.AddDays(daysLeft)) + ca.Pem);

        // Act
        credentials.Prepare();

        // Assert
        Assert.Equal(warned, _logger.Messages.Any(m => m.Contains("expires on", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Prepare_KeyGone_RefusesNamingIt()
    {
        // Arrange
        var credentials = Credentials();
        await credentials.EnsureAsync(CancellationToken.None);
        File.Delete(KeyPath);

        // Act
        var thrown = Assert.Throws<StandbyException>(credentials.Prepare);

        // Assert
        Assert.Contains(KeyPath, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_KeyFileNotAKey_RefusesNamingItAndTheFix()
    {
        // Arrange
        using var ca = TestCa.Create();
        var credentials = Credentials();
        await credentials.EnsureAsync(CancellationToken.None);
        await File.WriteAllTextAsync(CertificatePath, ca.Sign(await File.ReadAllTextAsync(RequestPath)) + ca.Pem);
        await File.WriteAllTextAsync(KeyPath, "not a key\n");

        // Act
        var thrown = Assert.Throws<StandbyException>(credentials.Prepare);

        // Assert
        Assert.Contains(KeyPath, thrown.Message, StringComparison.Ordinal);
        Assert.Contains("new key and request", thrown.NextStep, StringComparison.Ordinal);
    }

    private string KeyPath => TlsClientFiles.PrivateKeyPathIn(_standby.TlsDirectory);

    private string RequestPath => TlsClientFiles.RequestPathIn(_standby.TlsDirectory);

    private string CertificatePath => TlsClientFiles.CertificatePathIn(_standby.TlsDirectory);

    private TlsClientCredentials Credentials() => new(
        new FolderPreparer(NullLogger<FolderPreparer>.Instance),
        Options.Create(_repository),
        Options.Create(_standby),
        Options.Create(new ReplicationOptions { ApplicationName = "replica-east" }),
        new FakeTimeProvider(TestCa.Now),
        _logger);
}
