package watchtower.server;

import watchtower.agent.AgentApi;
import watchtower.approvals.ApprovalsApi;
import watchtower.control.ControlApi;
import watchtower.http.StaticFiles;
import watchtower.ingest.ClaudeHookApi;
import watchtower.ingest.EventsApi;
import watchtower.ingest.SessionRegistration;
import watchtower.ingest.SessionUpdatesApi;
import watchtower.machines.MachinesApi;
import watchtower.security.AuthApi;
import watchtower.sessions.SessionFiles;
import watchtower.sessions.SessionsApi;
import watchtower.settings.SettingsApi;

/** The handlers Routes wires up, built once by Server. */
record Parts(EventsApi events, SessionRegistration registration, SessionUpdatesApi updates,
             ApprovalsApi approvalsApi, SessionsApi sessions, SessionFiles files, SettingsApi settings,
             AuthApi auth, StaticFiles staticFiles, ClaudeHookApi claudeHooks, ControlApi control,
             MachinesApi machines, AgentApi agent, HealthApi health) {}
