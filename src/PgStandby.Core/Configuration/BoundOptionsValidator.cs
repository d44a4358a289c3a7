using Microsoft.Extensions.Options;

namespace PgStandby.Core.Configuration;

/// <summary>Reports every binding problem at once, so an operator fixes all variables in one go.</summary>
public sealed class BoundOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class, IBoundOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options) =>
        options.Problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Problems);
}
