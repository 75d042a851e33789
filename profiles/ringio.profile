# ringscope requirement profile: Ring.io on Twilio (WebRTC web phone, SIP
# phones, desktop app).  Format: ringscope-profile(5).
#
# Every entry names its source in a comment, by these short names:
#   RINGIO     support.ring.io/hc/en-us/articles/204166924
#              "SIP-VOIP-Firewall-Configuration-Guide" (undated; Twilio
#              Client 1.x era, pre-2023 media ranges, UDP 10000-20000)
#   TW-NCR     twilio.com/docs/voice/sdks/network-connectivity-requirements
#   TW-FW-SDK  twilio.com/docs/global-infrastructure/firewall-configurations/
#              programmable-voice-sdks
#   TW-FAQ     twilio.com/docs/voice/voice-media-ip-expansion-security-faq
#   TW-SIPIP   twilio.com/docs/sip-trunking/ip-addresses
#   TW-SIPIC   twilio.com/docs/voice/api/sip-interconnect
#   TW-EDGE    twilio.com/docs/global-infrastructure/edge-locations
#              (and .../edge-locations/legacy-regions)
#   TW-NTS     twilio.com/docs/stun-turn/regions
#   TW-TERM    twilio.com/docs/global-infrastructure/localized-uris/
#              termination (SIP termination URIs per edge)
#   VOICE-JS   github.com/twilio/twilio-voice.js lib/twilio/regions.ts,
#              README.md, CHANGELOG.md (2.x)
#   CLIENT-JS  github.com/twilio/twilio-client.js lib/twilio/regions.ts,
#              device.ts, README.md (1.x)
#   RTC-DIAG   github.com/twilio/rtc-diagnostics (NTS URLs)
#   ZD         Zendesk "Network requirements for voice support" (Zendesk
#              Talk runs on Twilio) [second-hand copy]
#   RFC 6598   shared address space (CGNAT)
#   SPEC       ringscope's own decisions (SPEC 3a)
# "[2nd-hand]" marks values found only in third-party copies.

profile ringio "Ring.io: Twilio WebRTC web phone, SIP phones and desktop app"

# Two verdict columns (SPEC 3a.1).
requirement-set document "The Ring.io firewall guide as written: legacy per-region Twilio media ranges, UDP 10000-20000"  # RINGIO
requirement-set current "What Twilio's infrastructure needs today: 168.86.128.0/18, UDP 10000-60000"  # TW-FW-SDK; TW-NCR; TW-FAQ

# ---------------------------------------------------------------------
# Value lists for hostname templates

# Twilio legacy region IDs of the 1.x SDK (RINGIO lists all but us2).
list region = au1 br1 de1 ie1 jp1 sg1 us1 us2            # CLIENT-JS regions.ts regionURIs
# Interconnect (private) variants of the 1.x regional names.
list region_ix = us1 us2 ie1 de1 sg1 jp1 au1             # CLIENT-JS regions.ts
list region_tnx = us1 us2 ie1 sg1                        # CLIENT-JS regions.ts
# 2.x edge names; roaming is the Global Low Latency default.
list edge = roaming ashburn umatilla dublin frankfurt sao-paulo singapore sydney tokyo   # VOICE-JS regions.ts
list edge_ix = ashburn-ix san-jose-ix london-ix frankfurt-ix singapore-ix sydney-ix tokyo-ix   # VOICE-JS regions.ts; README CSP
# Edges that terminate SIP ("roaming" is not available for SIP).
list sip_edge = ashburn umatilla dublin frankfurt sao-paulo singapore sydney tokyo   # TW-TERM; TW-EDGE

# ---------------------------------------------------------------------
# Hostnames (Twilio publishes no signaling IP ranges: matched by TLS SNI
# or by passive DNS, SPEC 3a.2)

# WEB-SIG-GLL-1X: Global Low Latency signaling of twilio.js 1.x.
hosts twilio-sig-gll-1x chunderw-vpc-gll.twilio.com      # CLIENT-JS regions.ts defaultChunderRegionURI
hosts twilio-sig-gll-1x chunderw-gll.twilio.com          # RINGIO; ZD (not in the 1.x source; kept, SPEC 3a.2)

# WEB-SIG-REG-1X: 1.x signaling pinned to a region or edge.
hosts twilio-sig-reg-1x chunderw-vpc-gll-{region}.twilio.com            # CLIENT-JS regions.ts regionURIs; RINGIO
hosts twilio-sig-reg-1x chunderw-vpc-gll-{region_ix}-ix.twilio.com      # CLIENT-JS regions.ts
hosts twilio-sig-reg-1x chunderw-vpc-gll-{region_tnx}-tnx.twilio.com    # CLIENT-JS regions.ts
# 1.x (>= 1.11) maps an edge name it does not know, X, to
# voice-js.X.twilio.com: those names are in twilio-sig-edge-2x below.

# WEB-SIG-EDGE-2X: Voice JS SDK 2.x (>= 2.3.0) signaling per edge.
hosts twilio-sig-edge-2x voice-js.{edge}.twilio.com      # VOICE-JS regions.ts createChunderEdgeURI; CHANGELOG 2.3.0
hosts twilio-sig-edge-2x voice-js.{edge_ix}.twilio.com   # VOICE-JS regions.ts; README CSP
hosts twilio-sig-edge-2x voice-js.sao-paulo-ix.twilio.com   # TW-EDGE private edges (not yet in the SDK enum)
# 2.0-2.2 still used the 1.x chunderw-vpc-gll names.
hosts twilio-sig-edge-2x chunderw-vpc-gll.twilio.com chunderw-vpc-gll-{region}.twilio.com   # VOICE-JS CHANGELOG 2.3.0

# SIPT-SIG: SIP termination URIs {x}.pstn.EDGE.twilio.com (the trunk's
# own name in front), on public and Interconnect edges; us1 is the
# legacy name of ashburn.
hosts twilio-sip-termination *.pstn.{sip_edge}.twilio.com *.pstn.{edge_ix}.twilio.com   # TW-TERM
hosts twilio-sip-termination *.pstn.us1.twilio.com       # TW-TERM (legacy region name)

# The names the Global Low Latency edge is reached by (WEB-GLL-DNS).
hosts twilio-gll chunderw-vpc-gll.twilio.com chunderw-gll.twilio.com voice-js.roaming.twilio.com   # TW-EDGE; CLIENT-JS; VOICE-JS

# WEB-INSIGHTS: the Insights event gateway; 2.x uses the token's home
# region (eventgw.sg1.twilio.com).
hosts twilio-insights eventgw.twilio.com                 # CLIENT-JS device.ts
hosts twilio-insights eventgw.{region}.twilio.com        # VOICE-JS regions.ts createEventGatewayURI; README

# WEB-ASSETS: SDK script and sounds.
hosts twilio-assets sdk.twilio.com media.twiliocdn.com   # VOICE-JS / CLIENT-JS README CSP; ZD

# NTS-STUN, NTS-TURN: Twilio Network Traversal Service.
hosts twilio-nts global.stun.twilio.com global.turn.twilio.com   # RTC-DIAG; TW-NTS

# Ring.io's own servers: no hostname is published (RINGIO names none).
# ring.io is the provider's domain; add server names here when known.
hosts ringio-web ring.io *.ring.io                       # SPEC 3a.3 (user-extensible); inference from the domain

# ---------------------------------------------------------------------
# Address ranges

# WEB-MEDIA-NOW / SIPT-MEDIA: all Twilio voice media since the 2023
# migration, identical for every edge (SDK from 10 Oct 2023, SIP from
# 21 Feb 2024).
range twilio-media-now 168.86.128.0/18                   # TW-FW-SDK; TW-NCR; TW-FAQ; TW-SIPIC

# WEB-MEDIA-LEGACY: the per-region media ranges of the Twilio page that
# RINGIO links (no longer carrying traffic, per Twilio).  [2nd-hand]
range twilio-media-legacy 54.172.60.0/23 34.203.250.0/23        # us1 ashburn; [2nd-hand] LibreSBC, FreePBX, AWS CDK copies
range twilio-media-legacy 54.244.51.0/24                        # us2 umatilla; [2nd-hand]
range twilio-media-legacy 54.171.127.192/26 52.215.127.0/24     # ie1 dublin; [2nd-hand]
range twilio-media-legacy 35.156.191.128/25 3.122.181.0/24      # de1 frankfurt; [2nd-hand]
range twilio-media-legacy 54.65.63.192/26 3.112.80.0/24         # jp1 tokyo; [2nd-hand]
range twilio-media-legacy 54.169.127.128/26 3.1.77.0/24         # sg1 singapore; [2nd-hand]
range twilio-media-legacy 54.252.254.64/26 3.104.90.0/24        # au1 sydney; [2nd-hand]
range twilio-media-legacy 177.71.206.192/26 18.228.249.0/24     # br1 sao-paulo; [2nd-hand]
# Values only in variant copies (another revision, or a SIP-only list).
range twilio-media-legacy-variant 35.166.33.0/24                # us2; [2nd-hand] variant copy
range twilio-media-legacy-variant 18.195.48.0/24                # de1; [2nd-hand] variant copy (35.156.191.128/26 lies in the /25 above)
range twilio-media-legacy-variant 3.0.73.0/24                   # sg1; [2nd-hand] variant copy

# NTS-STUN / NTS-TURN: STUN and TURN share these ranges (IPv4 only).
range twilio-nts 13.210.2.128/27 54.252.254.64/26 3.25.42.128/25     # au1; TW-NTS
range twilio-nts 18.231.105.32/27 177.71.206.192/26 18.230.125.0/25  # br1; TW-NTS
range twilio-nts 52.59.186.0/27 18.195.48.224/27 18.156.18.128/25    # de1; TW-NTS
range twilio-nts 52.66.193.96/27 52.66.194.0/26 3.7.35.128/25        # in1; TW-NTS
range twilio-nts 52.215.253.0/26 54.171.127.192/26 52.215.127.0/24   # ie1; TW-NTS
range twilio-nts 3.249.63.128/25                                     # ie1; TW-NTS
range twilio-nts 13.115.244.0/27 54.65.63.192/26 18.180.220.128/25   # jp1; TW-NTS
range twilio-nts 13.229.255.0/27 54.169.127.128/26 18.141.157.128/25 # sg1; TW-NTS
range twilio-nts 34.203.254.0/24 54.172.60.0/23 34.203.250.0/23      # us1; TW-NTS
range twilio-nts 3.235.111.128/25                                    # us1; TW-NTS
range twilio-nts 34.216.110.128/27 54.244.51.0/24 44.234.69.0/25     # us2; TW-NTS

# SIPT-SIG: Twilio SIP signaling gateways (Elastic SIP Trunking,
# Programmable SIP); Twilio asks to allow ALL of them.  [2nd-hand values]
range twilio-sip-gateways 54.172.60.0/30                 # us1 Virginia; TW-SIPIP [2nd-hand]
range twilio-sip-gateways 54.244.51.0/30                 # us2 Oregon; TW-SIPIP [2nd-hand]
range twilio-sip-gateways 54.171.127.192/30              # ie1 Dublin; TW-SIPIP [2nd-hand]
range twilio-sip-gateways 35.156.191.128/30              # de1 Frankfurt; TW-SIPIP [2nd-hand]
range twilio-sip-gateways 54.65.63.192/30                # jp1 Tokyo; TW-SIPIP [2nd-hand]
range twilio-sip-gateways 54.169.127.128/30              # sg1 Singapore; TW-SIPIP [2nd-hand]
range twilio-sip-gateways 54.252.254.64/30               # au1 Sydney; TW-SIPIP [2nd-hand]
range twilio-sip-gateways 177.71.206.192/30              # br1 Sao Paulo; TW-SIPIP [2nd-hand]

# RIO-PHONE-*: Ring.io's SIP servers (199.7.172.0/24 .. 199.7.175.0/24).
# Add further ranges of the provider on more "range ringio" lines.
range ringio 199.7.172.0/22                              # RINGIO; SPEC 3a.3

# Shared address space: a mapped address in it means a carrier NAT.
range cgnat-shared 100.64.0.0/10                         # RFC 6598

# ---------------------------------------------------------------------
# Classes.  Among rules on the same address prefix the first one in this
# file wins, so the order of classes matters (SIP ports before "any").

class twilio-signaling                                   # SPEC 3
    description "Twilio Voice SDK signaling: TLS/WSS to the GLL, regional and edge gateways"
    match tcp 443 hosts twilio-sig-gll-1x twilio-sig-reg-1x twilio-sig-edge-2x   # CLIENT-JS; VOICE-JS; RINGIO

class twilio-insights                                    # SPEC 3
    description "Twilio Insights event gateway (call-quality telemetry)"
    match tcp 443 hosts twilio-insights                  # CLIENT-JS; VOICE-JS

class twilio-media                                       # SPEC 3
    description "Twilio voice media: SRTP, STUN and DTLS on the same 5-tuple"
    dscp ef                                              # SPEC 3a.5; CLIENT-JS device.ts dscp: true
    match udp 10000-60000 range twilio-media-now         # TW-FW-SDK
    match udp 10000-20000 range twilio-media-legacy twilio-media-legacy-variant   # RINGIO (ports); [2nd-hand] ranges

class twilio-turn                                        # SPEC 3
    description "Twilio STUN/TURN (Network Traversal Service)"
    match udp 3478 range twilio-nts hosts twilio-nts     # RTC-DIAG; TW-NTS
    match tcp 3478,443 range twilio-nts hosts twilio-nts # RTC-DIAG (turn: 3478?transport=tcp, 443?transport=tcp)

class provider-sip                                       # SPEC 3
    description "SIP to or from the provider (Ring.io, Twilio SIP gateways)"
    dscp cs3 af31 cs5                                    # SPEC 3a.5
    match udp,tcp 5060-5066 range ringio                 # RINGIO
    match udp,tcp 5060 range twilio-sip-gateways hosts twilio-sip-termination   # TW-SIPIP [2nd-hand]; TW-TERM
    match tcp 5061 range twilio-sip-gateways hosts twilio-sip-termination       # TW-SIPIP [2nd-hand]; TW-TERM (TLS)

class provider-media                                     # SPEC 3
    description "RTP/RTCP to or from the provider's ranges (ports from SDP)"
    dscp ef                                              # SPEC 3a.5
    match udp any range ringio                           # RINGIO (UDP 1-65535)

class provider-xmpp                                      # SPEC 3
    description "XMPP of the Ring.io desktop app, either side initiating"
    # No Ring.io XMPP server is published, so the port alone decides; add
    # "range ringio" to this line once the servers are known.
    match tcp 5222                                       # RINGIO; SPEC 3a.4

class provider-web                                       # SPEC 3
    description "Web traffic of the Ring.io desktop app and web phone"
    match tcp 80,443,5280 range ringio hosts ringio-web  # RINGIO
    # The web phone loads the Twilio SDK and its sounds from these.
    match tcp 443 hosts twilio-assets                    # VOICE-JS / CLIENT-JS README CSP

# Built-in classes: expected marking only.
class sip
    dscp cs3 af31 cs5                                    # SPEC 3a.5
class rtp
    dscp ef                                              # SPEC 3a.5

# ---------------------------------------------------------------------
# Requirements (requirements-data.md section 1.1, one per row)

requirement WEB-SIG-GLL-1X                               # CLIENT-JS; RINGIO; ZD
    set document current
    text "Web phone (twilio.js 1.x) signaling to the Global Low Latency gateway: outbound TCP 443 (TLS/WSS)"
    source "CLIENT-JS regions.ts defaultChunderRegionURI; RINGIO; ZD"
    check connect
    direction out
    initiator inside
    classes twilio-signaling
    match tcp 443 hosts twilio-sig-gll-1x

requirement WEB-SIG-REG-1X                               # CLIENT-JS; RINGIO
    set document current
    text "Web phone (twilio.js 1.x) signaling to regional and Interconnect gateways: outbound TCP 443 (TLS/WSS)"
    source "CLIENT-JS regions.ts regionURIs, getChunderURIs; RINGIO (regions)"
    check connect
    direction out
    initiator inside
    classes twilio-signaling
    match tcp 443 hosts twilio-sig-reg-1x

requirement WEB-SIG-EDGE-2X                              # VOICE-JS
    set current
    text "Voice JS SDK 2.x signaling to voice-js.EDGE.twilio.com: outbound TCP 443 (TLS/WSS)"
    source "VOICE-JS regions.ts createChunderEdgeURI; CHANGELOG 2.3.0; README CSP"
    check connect
    direction out
    initiator inside
    classes twilio-signaling
    match tcp 443 hosts twilio-sig-edge-2x

requirement WEB-INSIGHTS                                 # CLIENT-JS; VOICE-JS
    set current
    text "Insights event gateway (eventgw.twilio.com, eventgw.REGION.twilio.com): outbound TCP 443"
    source "CLIENT-JS device.ts; VOICE-JS regions.ts createEventGatewayURI, README"
    check connect
    direction out
    initiator inside
    classes twilio-insights
    match tcp 443 hosts twilio-insights

requirement WEB-ASSETS                                   # VOICE-JS; CLIENT-JS; ZD
    set current
    text "SDK script and sounds (sdk.twilio.com, media.twiliocdn.com): outbound TCP 443"
    source "VOICE-JS / CLIENT-JS README CSP; ZD"
    check connect
    direction out
    initiator inside
    classes provider-web
    match tcp 443 hosts twilio-assets

requirement WEB-MEDIA-NOW                                # TW-FW-SDK; TW-NCR; TW-FAQ; TW-SIPIC
    set current
    text "Media (SRTP, ICE/STUN) to 168.86.128.0/18 on UDP 10000-60000, return traffic allowed in; Twilio never opens a connection to the SDK"
    source "TW-FW-SDK; TW-NCR; TW-FAQ; TW-SIPIC"
    check connect
    direction out
    initiator inside
    classes twilio-media
    match udp 10000-60000 range twilio-media-now

requirement WEB-MEDIA-LEGACY                             # RINGIO; [2nd-hand] ranges
    set document
    text "Media to the legacy per-region Twilio ranges on UDP 10000-20000, as the Ring.io guide says (these ranges no longer carry Twilio traffic)"
    source "RINGIO (port range); CIDRs [2nd-hand]"
    check connect
    direction out
    initiator inside
    classes twilio-media
    match udp 10000-20000 range twilio-media-legacy twilio-media-legacy-variant

requirement NTS-STUN                                     # RTC-DIAG; TW-NTS
    set current
    text "STUN to Twilio NTS (global.stun.twilio.com, NTS ranges): outbound UDP 3478, when the app passes NTS ICE servers"
    source "twilio/rtc-diagnostics; TW-NTS"
    check connect
    direction out
    initiator inside
    classes twilio-turn
    match udp 3478 range twilio-nts hosts twilio-nts

requirement NTS-TURN                                     # RTC-DIAG; TW-NTS
    set current
    text "TURN relay at Twilio NTS (global.turn.twilio.com): outbound UDP 3478, TCP 3478 or TLS over TCP 443"
    source "twilio/rtc-diagnostics MediaConnectionBitrateTest.ts; TW-NTS"
    check connect
    direction out
    initiator inside
    classes twilio-turn
    match udp,tcp 3478 range twilio-nts hosts twilio-nts
    match tcp 443 range twilio-nts hosts twilio-nts

requirement SIPT-SIG                                     # TW-SIPIP [2nd-hand values]
    set current
    text "SIP to and from every Twilio SIP signaling gateway: UDP/TCP 5060, TLS 5061, opened by either end"
    source "TW-SIPIP (per-CIDR values [2nd-hand]); TW-TERM"
    check connect
    direction both
    initiator both
    classes provider-sip
    match udp,tcp 5060 range twilio-sip-gateways hosts twilio-sip-termination
    match tcp 5061 range twilio-sip-gateways hosts twilio-sip-termination

requirement SIPT-MEDIA                                   # TW-SIPIP; TW-SIPIC
    set current
    text "SIP trunk media to and from 168.86.128.0/18 on UDP 10000-60000"
    source "TW-SIPIP; TW-SIPIC"
    check connect
    direction both
    initiator both
    classes twilio-media
    match udp 10000-60000 range twilio-media-now

requirement RIO-PHONE-ALG                                # RINGIO
    set document current
    text "SIP ALG (\"SIP Transformations\", \"SIP Application Layer Gateway\") must be disabled on the edge router or firewall"
    source "RINGIO"
    check no-sip-alg
    classes provider-sip sip

requirement RIO-PHONE-UDP                                # RINGIO
    set document current
    text "UDP to and from Ring.io's ranges (199.7.172.0/22), any port, in both directions"
    source "RINGIO"
    check connect
    direction both
    initiator both
    match udp any range ringio

requirement RIO-PHONE-TCP                                # RINGIO
    set document current
    text "SIP over TCP 5060-5066 to and from Ring.io's ranges"
    source "RINGIO"
    check connect
    direction both
    initiator both
    match tcp 5060-5066 range ringio

requirement RIO-PHONE-UDPTO                              # RINGIO; RFC 4787 REQ-5
    set document current
    text "The NAT/firewall keeps idle UDP bindings to Ring.io for at least 120 seconds"
    source "RINGIO; cf. RFC 4787 REQ-5"
    check udp-timeout 120
    match udp any range ringio

requirement RIO-PHONE-QOS                                # RINGIO; values SPEC 3a.5
    set document current
    text "Class of service for Ring.io's ranges: RTP marked EF (46), SIP CS3, AF31 or CS5 (24, 26, 40)"
    source "RINGIO (values chosen in SPEC 3a.5)"
    check dscp
    severity warning
    classes provider-sip provider-media
    match udp,tcp any range ringio

requirement RIO-PHONE-NAT1                               # RINGIO
    set document current
    text "At most one NAT between the phones and the Internet (no double NAT, no carrier-grade NAT)"
    source "RINGIO"
    check single-nat
    classes provider-sip sip

requirement RIO-DESK-HTTP                                # RINGIO
    set document current
    text "Desktop app: outbound web to Ring.io's servers on TCP 80, 443 and 5280"
    source "RINGIO"
    check connect
    direction out
    initiator inside
    classes provider-web
    match tcp 80,443,5280 range ringio hosts ringio-web

requirement RIO-DESK-XMPP                                # RINGIO; SPEC 3a.4
    set document current
    text "Desktop app: XMPP on TCP 5222 in both directions, initiated by either side"
    source "RINGIO"
    check connect
    direction both
    initiator either
    classes provider-xmpp
    match tcp 5222

requirement WEB-QOS                                      # CLIENT-JS device.ts; VOICE-JS; ZD
    set current
    text "Web phone RTP to Twilio media marked EF (46); twilio.js >= 1.3 asks the browser to mark it (Windows strips DSCP without a QoS policy)"
    source "CLIENT-JS device.ts dscp: true; VOICE-JS device.ts; ZD"
    check dscp
    severity warning
    direction out
    classes twilio-media
    match udp 10000-60000 range twilio-media-now twilio-media-legacy twilio-media-legacy-variant

requirement WEB-GLL-DNS                                  # TW-EDGE; ZD
    set current
    text "The Global Low Latency names resolve through a resolver that supports EDNS Client Subnet (RFC 7871); VPN or remote DNS may pick a far or blocked edge"
    source "TW-EDGE; ZD"
    check dns
    severity warning
    match udp,tcp any hosts twilio-gll
