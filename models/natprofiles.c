/* natprofiles.c - the five NAT profiles (see natprofiles.h).
 *
 * Sources (../shared/reference/cloud-nat-facts.md): azure-lb §1 (64,000
 * ports per frontend, the backend-pool table, FIN 240 s / RST 15 s from the
 * pre-2021 docs, idle 4 min), azure-natgw §2 (64,512 per IP, 50,000 per IP
 * per destination, FIN 65 s / RST 16 s as of 2023-2025, idle 4 min),
 * aws-natgw §3 (1024-65535, 55,000 per IP per destination, idle 350 s; the
 * hold after close is undocumented: 60 s from the "900/s, 55,000 a minute"
 * wording [L]), gcp-cloudnat §4 (64,512 per IP, 64 ports per VM static,
 * TCP TIME_WAIT 120 s for existing gateways, established idle 1,200 s),
 * linux-conntrack §5 (1024-65535, conntrack TIME_WAIT 120 s, CLOSE 10 s,
 * established 5 days).
 */
#include "models/natprofiles.h"

#include <assert.h>

#define S(x) ((simtime)(x) * SIMTIME_NS_PER_S)

#define HOST_SYN .syn_retries = 6, .syn_rto_ns = S(1)

static const struct natprofile natprofiles[NAT_PROFILE_COUNT] = {
    [NAT_PROFILE_AZURE_LB] = {
        "azure-lb", "Azure Load Balancer outbound SNAT (default table or outbound rules)",
        {.profile = NAT_PROFILE_AZURE_LB, .alloc = NAT_ALLOC_RESERVED, .public_ips = 1,
         .port_min = 1024, .port_max = 65023, .per_dst_limit = 0, .ports_per_host = 0,
         .max_ports_per_host = 0, .hold_fin_ns = S(240), .hold_rst_ns = S(15),
         .idle_timeout_ns = S(240), .random_fully = 0, .eim = 0, HOST_SYN},
        16, "SnatConnectionCount Failed", "UsedSnatPorts"},
    [NAT_PROFILE_AZURE_NATGW] = {
        "azure-natgw", "Azure NAT Gateway (StandardV2 limits, timers of 2023-2025)",
        {.profile = NAT_PROFILE_AZURE_NATGW, .alloc = NAT_ALLOC_SHARED, .public_ips = 1,
         .port_min = 1024, .port_max = 65535, .per_dst_limit = 50000, .ports_per_host = 0,
         .max_ports_per_host = 0, .hold_fin_ns = S(65), .hold_rst_ns = S(16),
         .idle_timeout_ns = S(240), .random_fully = 0, .eim = 0, HOST_SYN},
        16, "SNAT Connection Count Failed", "Total SNAT Connection Count"},
    [NAT_PROFILE_AWS_NATGW] = {
        "aws-natgw", "AWS NAT Gateway (hold after close undocumented: 60 s assumed)",
        {.profile = NAT_PROFILE_AWS_NATGW, .alloc = NAT_ALLOC_SHARED, .public_ips = 1,
         .port_min = 1024, .port_max = 65535, .per_dst_limit = 55000, .ports_per_host = 0,
         .max_ports_per_host = 0, .hold_fin_ns = S(60), .hold_rst_ns = S(60),
         .idle_timeout_ns = S(350), .random_fully = 0, .eim = 0, HOST_SYN},
        8, "ErrorPortAllocation", "ActiveConnectionCount"},
    [NAT_PROFILE_GCP_CLOUDNAT] = {
        "gcp-cloudnat", "GCP Cloud NAT (static 64 ports per VM, TIME_WAIT 120 s)",
        {.profile = NAT_PROFILE_GCP_CLOUDNAT, .alloc = NAT_ALLOC_RESERVED, .public_ips = 1,
         .port_min = 1024, .port_max = 65535, .per_dst_limit = 0, .ports_per_host = 64,
         .max_ports_per_host = 0, .hold_fin_ns = S(120), .hold_rst_ns = S(30),
         .idle_timeout_ns = S(1200), .random_fully = 0, .eim = 0, HOST_SYN},
        16, "OUT_OF_RESOURCES", "nat/port_usage"},
    [NAT_PROFILE_LINUX_CONNTRACK] = {
        "linux-conntrack", "Linux conntrack SNAT/MASQUERADE (Kubernetes node, kernel >= 5.0)",
        {.profile = NAT_PROFILE_LINUX_CONNTRACK, .alloc = NAT_ALLOC_CONNTRACK,
         .public_ips = 1, .port_min = 1024, .port_max = 65535, .per_dst_limit = 0,
         .ports_per_host = 0, .max_ports_per_host = 0, .hold_fin_ns = S(120),
         .hold_rst_ns = S(10), .idle_timeout_ns = S(432000), .random_fully = 0, .eim = 0,
         HOST_SYN},
        16, "insert_failed", "nf_conntrack_count"},
};

const struct natprofile *natprofile_get(enum nat_profile_id id)
{
    assert(id > NAT_PROFILE_NONE && id < NAT_PROFILE_COUNT);
    return &natprofiles[id];
}

uint32_t natprofile_syn_retries(enum profile_id sp)
{
    switch (sp) {
    case PROFILE_WIN2000:
    case PROFILE_WIN2003:
    case PROFILE_WIN7:
    case PROFILE_WIN8:
        return 2;               /* TcpMaxConnectRetransmissions */
    default:
        return 6;               /* Linux tcp_syn_retries; BSDs similar */
    }
}
