import type { JsonSchema } from '../collector.js';

const count = { type: ['integer', 'null'], minimum: 0 };
const minutes = { type: ['number', 'null'], minimum: 0 };

/** `pagerduty.service`: how the entity's PagerDuty service is set up and how its incidents went. */
export const pagerdutyServiceSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['exists', 'serviceId'],
  properties: {
    exists: { type: 'boolean', description: 'The service id in the annotation names a PagerDuty service.' },
    serviceId: { type: 'string' },
    name: { type: ['string', 'null'] },
    status: { enum: ['active', 'warning', 'critical', 'maintenance', 'disabled', null] },
    htmlUrl: { type: ['string', 'null'] },
    escalationPolicyId: { type: ['string', 'null'] },
    escalationLevels: { ...count, description: 'Number of escalation rules (levels) of the service’s escalation policy.' },
    onCallNow: { type: ['boolean', 'null'], description: 'Someone is on call now at the first escalation level.' },
    onCallUsers: { ...count, description: 'Distinct users on call now, at any level.' },
    incidents30d: { ...count, description: 'Incidents created in the last 30 days.' },
    highUrgencyIncidents30d: count,
    openIncidents: { ...count, description: 'Of those, still triggered or acknowledged.' },
    mttaMinutes: { ...minutes, description: 'Mean minutes from creation to first acknowledgement, over the sampled acknowledged incidents.' },
    mttaSample: { ...count, description: 'Incidents the MTTA is the mean of.' },
    mttrMinutes: { ...minutes, description: 'Mean minutes from creation to resolution, over the resolved incidents.' },
    resolvedIncidents30d: count,
  },
};

export interface PagerDutyServiceFact {
  exists: boolean;
  serviceId: string;
  name: string | null;
  status: string | null;
  htmlUrl: string | null;
  escalationPolicyId: string | null;
  escalationLevels: number | null;
  onCallNow: boolean | null;
  onCallUsers: number | null;
  incidents30d: number | null;
  highUrgencyIncidents30d: number | null;
  openIncidents: number | null;
  mttaMinutes: number | null;
  mttaSample: number | null;
  mttrMinutes: number | null;
  resolvedIncidents30d: number | null;
}

/** The fact of a service id that PagerDuty does not know. */
export function missingService(serviceId: string): PagerDutyServiceFact {
  return {
    exists: false, serviceId, name: null, status: null, htmlUrl: null, escalationPolicyId: null, escalationLevels: null,
    onCallNow: null, onCallUsers: null, incidents30d: null, highUrgencyIncidents30d: null, openIncidents: null,
    mttaMinutes: null, mttaSample: null, mttrMinutes: null, resolvedIncidents30d: null,
  };
}
