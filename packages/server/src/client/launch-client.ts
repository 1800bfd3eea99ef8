import type { ItemKind } from '../store/launch-types.js';
import type {
  AddRunsRequest,
  AddRunsResponse,
  ClaimResponse,
  CreateLaunchSweepRequest,
  ItemStateRequest,
  LaunchAgentRecord,
  LaunchHeartbeatResponse,
  LaunchSweepRecord,
  LaunchSweepResponse,
  ListQueuesResponse,
  QueueDetail,
  QueueItemRecord,
  QueueSummary,
  RegisterLaunchAgentRequest,
  RegisterLaunchAgentResponse,
  ResumeLaunchSweepRequest,
  SchedulerReport,
} from '../launch/launch-api.js';
import type { ApiClient } from './api-client.js';

const enc = encodeURIComponent;

/** The Sweeps-on-Launch routes (`launch/launch-api.ts`) over an ApiClient. @experimental */
export class LaunchClient {
  constructor(readonly api: ApiClient) {}

  listQueues(): Promise<ListQueuesResponse> {
    return this.api.request<ListQueuesResponse>('GET', '/queues');
  }

  createQueue(name: string): Promise<QueueSummary> {
    return this.api.request<QueueSummary>('POST', '/queues', { name });
  }

  getQueue(name: string): Promise<QueueDetail> {
    return this.api.request<QueueDetail>('GET', `/queues/${enc(name)}`);
  }

  createLaunchSweep(body: CreateLaunchSweepRequest): Promise<LaunchSweepResponse> {
    return this.api.request<LaunchSweepResponse>('POST', '/launch-sweeps', body);
  }

  resumeLaunchSweep(sweepId: string, body: ResumeLaunchSweepRequest): Promise<LaunchSweepResponse> {
    return this.api.request<LaunchSweepResponse>('POST', `/launch-sweeps/${enc(sweepId)}/resume`, body);
  }

  getLaunchSweep(sweepId: string): Promise<LaunchSweepRecord> {
    return this.api.request<LaunchSweepRecord>('GET', `/launch-sweeps/${enc(sweepId)}`);
  }

  addRuns(sweepId: string, body: AddRunsRequest): Promise<AddRunsResponse> {
    return this.api.request<AddRunsResponse>('POST', `/launch-sweeps/${enc(sweepId)}/runs`, body);
  }

  schedulerReport(sweepId: string, body: SchedulerReport): Promise<LaunchSweepRecord> {
    return this.api.request<LaunchSweepRecord>('POST', `/launch-sweeps/${enc(sweepId)}/scheduler`, body);
  }

  registerLaunchAgent(body: RegisterLaunchAgentRequest): Promise<RegisterLaunchAgentResponse> {
    return this.api.request<RegisterLaunchAgentResponse>('POST', '/launch-agents', body);
  }

  heartbeat(agentId: string, running: string[]): Promise<LaunchHeartbeatResponse> {
    return this.api.request<LaunchHeartbeatResponse>('POST', `/launch-agents/${enc(agentId)}/heartbeat`, { running });
  }

  claim(agentId: string, kinds: ItemKind[]): Promise<ClaimResponse> {
    return this.api.request<ClaimResponse>('POST', `/launch-agents/${enc(agentId)}/claim`, { kinds });
  }

  exitAgent(agentId: string): Promise<LaunchAgentRecord> {
    return this.api.request<LaunchAgentRecord>('POST', `/launch-agents/${enc(agentId)}/exit`);
  }

  setItemState(itemId: string, body: ItemStateRequest): Promise<QueueItemRecord> {
    return this.api.request<QueueItemRecord>('POST', `/items/${enc(itemId)}/state`, body);
  }
}
