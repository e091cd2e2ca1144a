using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Neighbour
{
    /// <summary>
    /// Sends one GET through its own IHttpClientFactory, round-trips its answer through System.Text.Json, and reports
    /// which copies of those libraries it ran with.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "NeighbourRequest")]
    public sealed class InvokeNeighbourRequestCommand : PSCmdlet
    {
        [Parameter(Mandatory = true)]
        public Uri Uri { get; set; }

        protected override void ProcessRecord()
        {
            var services = new ServiceCollection();
            services.AddHttpClient();
            using (var provider = services.BuildServiceProvider())
            {
                var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient();
                var response = client.GetAsync(Uri).GetAwaiter().GetResult();
                var json = JsonSerializer.Serialize(new Dictionary<string, int> { ["status"] = (int)response.StatusCode });
                var status = JsonSerializer.Deserialize<Dictionary<string, int>>(json)["status"];

                var used = new[]
                {
                    typeof(IHttpClientFactory).Assembly,
                    typeof(ServiceCollection).Assembly,
                    typeof(IServiceCollection).Assembly,
                    typeof(Microsoft.Extensions.Options.Options).Assembly,
                    typeof(Microsoft.Extensions.Logging.ILogger).Assembly,
                    typeof(JsonSerializer).Assembly,
                };
                var result = new PSObject();
                result.Properties.Add(new PSNoteProperty("StatusCode", status));
                result.Properties.Add(new PSNoteProperty("Assemblies", used.Select(Describe).ToArray()));
                WriteObject(result);
            }
        }

        private static PSObject Describe(Assembly assembly)
        {
            var description = new PSObject();
            description.Properties.Add(new PSNoteProperty("Name", assembly.GetName().Name));
            description.Properties.Add(new PSNoteProperty("Version", assembly.GetName().Version.ToString()));
            description.Properties.Add(new PSNoteProperty("Location", assembly.Location));
            return description;
        }
    }
}
