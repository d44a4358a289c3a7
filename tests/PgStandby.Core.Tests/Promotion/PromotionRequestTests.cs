using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PgStandby.Core.Processes;
using PgStandby.Core.Promotion;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Promotion;

public sealed class PromotionRequestTests : IDisposable
{
    private readonly TempDirectory _state = new();
    private readonly FakeTimeProvider _time = new(TestWorld.Start);
    private readonly FolderPreparer _folders = new(NullLogger<FolderPreparer>.Instance);

    public void Dispose() => _state.Dispose();

    [Fact]
    public void IsPending_NoRequest_False()
    {
        // Act
        var pending = PromotionRequest.IsPending(_state.Path, _time.GetUtcNow());

        // Assert
        Assert.False(pending);
    }

    [Fact]
    public void IsPending_WrittenJustBeforeValidForEnds_True()
    {
        // Arrange
        PromotionRequest.Write(_folders, _state.Path, _time.GetUtcNow());
        _time.Advance(PromotionRequest.ValidFor - TimeSpan.FromSeconds(1));

        // Act
        var pending = PromotionRequest.IsPending(_state.Path, _time.GetUtcNow());

        // Assert
        Assert.True(pending);
    }

    [Fact]
    public void IsPending_ValidForPassed_False()
    {
        // Arrange: a leftover of a promote interrupted a quarter of an hour ago
        PromotionRequest.Write(_folders, _state.Path, _time.GetUtcNow());
        _time.Advance(PromotionRequest.ValidFor);

        // Act
        var pending = PromotionRequest.IsPending(_state.Path, _time.GetUtcNow());

        // Assert
        Assert.False(pending);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("2026-03-01T12:00:00Z")]
    public void IsPending_NotSeconds_False(string content)
    {
        // Arrange
        _state.WriteFile(PromotionRequest.FileName, content);

        // Act
        var pending = PromotionRequest.IsPending(_state.Path, _time.GetUtcNow());

        // Assert
        Assert.False(pending);
    }

    [Fact]
    public void Write_Now_UnixSecondsOwnerOnly()
    {
        // Act
        PromotionRequest.Write(_folders, _state.Path, _time.GetUtcNow());

        // Assert
        var path = Path.Combine(_state.Path, PromotionRequest.FileName);
        Assert.Equal(TestWorld.Start.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Clear_PendingRequest_NotPendingAnyMore()
    {
        // Arrange
        PromotionRequest.Write(_folders, _state.Path, _time.GetUtcNow());

        // Act
        PromotionRequest.Clear(_state.Path);

        // Assert
        Assert.False(PromotionRequest.IsPending(_state.Path, _time.GetUtcNow()));
        Assert.False(File.Exists(Path.Combine(_state.Path, PromotionRequest.FileName)));
    }

    [Fact]
    public void Clear_NoRequest_DoesNotThrow()
    {
        // Act
        var exception = Record.Exception(() => PromotionRequest.Clear(_state.Path));

        // Assert
        Assert.Null(exception);
    }
}
