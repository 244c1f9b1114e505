/** @module Microsoft Teams: Graph chatMessage (delegated) or a Workflows webhook. */
export { createTeams, type TeamsCredentials, teamsGraphBody, teamsWorkflowBody } from './teams.ts';
