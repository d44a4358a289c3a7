using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PgStandby.Core.Configuration;

public static class ServiceCollectionExtensions
{
    /// <summary>Binds every options class from the environment and validates them all when the host starts.</summary>
    public static IServiceCollection AddPgStandbyOptions(this IServiceCollection services)
    {
        Add<RepositoryOptions, RepositoryOptionsSetup>(services);
        Add<ReplicationOptions, ReplicationOptionsSetup>(services);
        Add<StandbyOptions, StandbyOptionsSetup>(services);
        Add<SupervisionOptions, SupervisionOptionsSetup>(services);
        return services;
    }

    private static void Add<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSetup>(IServiceCollection services)
        where TOptions : class, IBoundOptions
        where TSetup : class, IConfigureOptions<TOptions>
    {
        services.AddSingleton<IConfigureOptions<TOptions>, TSetup>();
        services.AddSingleton<IValidateOptions<TOptions>, BoundOptionsValidator<TOptions>>();
        services.AddOptions<TOptions>().ValidateOnStart();
    }
}
